package dev.lathe.core.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the audit chain is keyed with (HMAC-SHA256): 32 random bytes in a file of the data folder, created
 * owner-only ({@code 0600}) on first use, with the time it was made. Sandboxed commands never see it (the sandbox
 * hides it) and the file tools refuse it (a deny no rule can lift), so neither the agent nor its commands can forge an
 * entry or an anchor; someone who can read the file as the user can (see docs/security.md). The file is one line:
 * {@code lathe-audit-key 1 <created epoch ms> <64 hex digits>}.
 */
final class AuditKey {
    private static final String MAGIC = "lathe-audit-key 1 ";

    private final byte[] secret;
    private final long created;
    /**
     * One HMAC engine, initialised once and reused under this object's lock ({@code doFinal} resets it): looking the
     * algorithm up among the providers and keying it at every entry was most of an audit entry's CPU (issue 43).
     */
    private Mac engine;

    private AuditKey(byte[] secret, long created) {
        this.secret = secret.clone();
        this.created = created;
    }

    /** When the key was made (epoch ms): an entry written later must be keyed. */
    long created() { return created; }

    /** The hex HMAC-SHA256 of {@code text} under this key. */
    synchronized String mac(String text) {
        try {
            if (engine == null) {
                engine = Mac.getInstance("HmacSHA256");
                engine.init(new SecretKeySpec(secret, "HmacSHA256"));
            }
            return HexFormat.of().formatHex(engine.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    /** The key in {@code file}; empty when there is none yet. Throws when the file is there but is not a key. */
    static Optional<AuditKey> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] parts = text.startsWith(MAGIC) ? text.substring(MAGIC.length()).split(" ") : new String[0];
        if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) throw new IOException("the audit key " + file + " is not a key (changed by hand?)");
        try {
            return Optional.of(new AuditKey(HexFormat.of().parseHex(parts[1]), Long.parseLong(parts[0])));
        } catch (NumberFormatException e) {
            throw new IOException("the audit key " + file + " is not a key (its time is not a number)");
        }
    }

    /** The key in {@code file}, made (owner-only, in one exclusive create) when there is none. */
    static AuditKey readOrCreate(Path file) throws IOException {
        Optional<AuditKey> found = read(file);
        if (found.isPresent()) return found.get();
        Files.createDirectories(file.getParent());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        long now = System.currentTimeMillis();
        // a name of its own per call: two first decisions of one process (or a dead process's leftover of the same
        // pid) must not share, delete or collide on one temporary file (CrashLoopIT saw "chain.key.PID.tmp exists")
        Path tmp;
        try {
            tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        }
        Files.writeString(tmp, MAGIC + now + " " + HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            // a link, not a rename: a key another writer made meanwhile is kept, never replaced
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // made by someone else first: theirs is the key
        } finally {
            Files.deleteIfExists(tmp);
        }
        return read(file).orElseThrow(() -> new IOException("the audit key " + file + " vanished as it was made"));
    }
}
