package dev.lathe.core.transcript;

import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Claude Code transcripts of sessions ({@link ClaudeTranscript}), one file per session under the state folder
 * ({@code STATE/transcripts/SESSION.jsonl}, owner-only: it holds the conversation), brought up to date on demand:
 * the hook engine calls {@link #sync} before it runs a hook and passes the path as {@code transcript_path}.
 *
 * <p>Cost: a sync reads the session's rows once (what building the next model request reads anyway) and writes only
 * the lines that are new: when the lines written before are the start of the session's lines now, the rest is
 * appended; otherwise (a revert, a compaction's rewrite, a call that finished before an earlier one of its step) the
 * file is written afresh, atomically. What was written is remembered per session as a hash per line, never the text.
 * Safe to call from any thread; syncs of one session run one at a time.
 */
public final class TranscriptFiles {
    private final Path dir;
    private final SessionStore sessions;
    private final MessageStore messages;
    private final String version;
    private final Map<SessionId, Written> written = new ConcurrentHashMap<>();

    /** What the file holds as far as this process wrote it: a hash per line, and the file's size after the write. */
    private record Written(List<Integer> hashes, long size) {}

    /** @param dir the folder the files go in ({@code LathePaths.state()/transcripts}) */
    public TranscriptFiles(Path dir, SessionStore sessions, MessageStore messages, String version) {
        this.dir = dir;
        this.sessions = sessions;
        this.messages = messages;
        this.version = version;
    }

    /** Where {@code session}'s transcript is (it may not exist before the first {@link #sync}). */
    public Path path(SessionId session) {
        return dir.resolve(session.value() + ".jsonl");
    }

    /**
     * Brings {@code session}'s transcript up to date with what is stored now.
     *
     * @return its path; an unknown session gets an empty file
     * @throws UncheckedIOException when the file cannot be written
     */
    public Path sync(SessionId session) {
        Path file = path(session);
        synchronized (lockFor(session)) {
            Optional<Session> found = sessions.find(session);
            List<String> lines = found.map(s -> ClaudeTranscript.lines(s, messages.bySession(session), version)).orElse(List.of());
            List<Integer> hashes = lines.stream().map(String::hashCode).toList();
            Written before = written.get(session);
            try {
                Files.createDirectories(dir);
                if (before != null && isPrefix(before.hashes(), hashes) && sizeOf(file) == before.size()) {
                    if (hashes.size() > before.hashes().size()) {
                        Files.writeString(file, joined(lines.subList(before.hashes().size(), lines.size())), StandardCharsets.UTF_8,
                                StandardOpenOption.APPEND);
                    }
                } else {
                    Path temp = Files.createTempFile(dir, ".transcript-", ".jsonl");
                    ownerOnly(temp);
                    Files.writeString(temp, joined(lines), StandardCharsets.UTF_8);
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                written.put(session, new Written(hashes, sizeOf(file)));
            } catch (IOException e) {
                written.remove(session);
                throw new UncheckedIOException("cannot write the transcript " + file + ": " + e.getMessage(), e);
            }
            return file;
        }
    }

    /** Forgets {@code session} and deletes its file (the session was deleted). */
    public void delete(SessionId session) {
        synchronized (lockFor(session)) {
            written.remove(session);
            try {
                Files.deleteIfExists(path(session));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<SessionId, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(SessionId session) {
        return locks.computeIfAbsent(session, _ -> new Object());
    }

    private static boolean isPrefix(List<Integer> prefix, List<Integer> all) {
        return prefix.size() <= all.size() && all.subList(0, prefix.size()).equals(prefix);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -2; // gone or unreadable: never equal to a size remembered, so it is written afresh
        }
    }

    private static String joined(List<String> lines) {
        var out = new StringBuilder();
        for (String l : lines) out.append(l).append('\n');
        return out.toString();
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the folder's own protection applies
        }
    }
}
