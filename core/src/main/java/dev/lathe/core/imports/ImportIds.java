package dev.lathe.core.imports;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lathe ids for one imported session, made from the source's own ids instead of at random: the same record of the
 * same session always gets the same id, which is what makes a second import find what the first stored. They keep
 * Lathe's shape (prefix, 12 hex digits of the record's time, a 4-digit counter, 10 base-62 characters) so they sort
 * by time like every other id; the counter runs in reading order, so records of one millisecond keep their order, and
 * a time that goes backwards in the source is held at the last one.
 */
final class ImportIds {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final String seed;
    private final java.util.Optional<SessionId> session;
    private long lastAt;
    private int counter;

    /** @param source the harness ({@code claude-code}); @param sourceSessionId its id of the session */
    ImportIds(String source, String sourceSessionId) { this(source, sourceSessionId, java.util.Optional.empty()); }

    /** @param session the Lathe session the source is an export of (decision 640): the session's id, its records' ids still derived */
    ImportIds(String source, String sourceSessionId, java.util.Optional<SessionId> session) {
        this.seed = source + "\u0000" + sourceSessionId;
        this.session = session;
    }

    SessionId session(long at) { return session.orElseGet(() -> new SessionId(make(SessionId.PREFIX, "session", at, 0))); }

    MessageId message(String key, long at) { return new MessageId(next(MessageId.PREFIX, key, at)); }

    PartId part(String key, long at) { return new PartId(next(PartId.PREFIX, key, at)); }

    private String next(String prefix, String key, long at) {
        lastAt = Math.max(lastAt, at);
        return make(prefix, key, lastAt, counter++ & 0xFFFF);
    }

    private String make(String prefix, String key, long at, int count) {
        byte[] hash = sha256(seed + "\u0000" + prefix + key);
        var sb = new StringBuilder(prefix.length() + 26).append(prefix).append(String.format("%012x%04x", at & 0xFFFF_FFFF_FFFFL, count));
        for (int i = 0; i < 10; i++) sb.append(BASE62[(hash[i] & 0xFF) % BASE62.length]);
        return sb.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
