package dev.lathe.tools.builtin;

import dev.lathe.tools.ToolFailure;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each session's model last saw of each file, server-wide and in memory: {@code read} records a file's
 * {@link FileStamp} when it shows it, {@code write}, {@code edit} and {@code apply_patch} when they write it. Before
 * changing a file the model saw, those tools check that it is still the version seen, and refuse with "read it again"
 * when something else (the user's editor, a formatter, a command) changed it since — instead of writing over that
 * change with text computed from an old copy. A file this session never read is not checked (writing a new file, or
 * an edit of a file whose text the model got elsewhere, keeps working). Kept per session, at most {@link #PER_SESSION}
 * files each (the oldest forgotten first, which only means that file is no longer checked), and dropped with the
 * session ({@link #forgetSession}).
 */
public final class FileReads {
    static final int PER_SESSION = 4096;
    private static final FileReads SHARED = new FileReads();

    private final Map<String, Map<Path, FileStamp>> seen = new ConcurrentHashMap<>();

    public static FileReads shared() { return SHARED; }

    /** Records that {@code sessionId}'s model has seen {@code file} as it is now. */
    void saw(String sessionId, Path file) {
        Optional<FileStamp> now = FileStamp.of(file);
        Map<Path, FileStamp> files = seen.computeIfAbsent(sessionId, _ -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<Path, FileStamp> eldest) { return size() > PER_SESSION; }
        });
        synchronized (files) {
            now.ifPresentOrElse(s -> files.put(file, s), () -> files.remove(file));
        }
    }

    /**
     * Lathe's own undo, redo or rewind put {@code files} back for {@code sessionId}: each is a version its model saw
     * (the one it read before the undone turn, or the one its turn left), so each the session was checking counts as
     * seen as it is now, and the same edit is not refused as a change by someone else. Files it never read stay
     * unchecked.
     */
    public void restored(String sessionId, List<Path> files) {
        Map<Path, FileStamp> seenBy = seen.get(sessionId);
        if (seenBy == null) return;
        for (Path file : files) {
            boolean tracked;
            synchronized (seenBy) {
                tracked = seenBy.containsKey(file);
            }
            if (tracked) saw(sessionId, file);
        }
    }

    /**
     * Refuses when {@code sessionId}'s model saw {@code file} and it has changed since (or was deleted); {@code shown}
     * is its name for the message.
     */
    void requireUnchanged(String sessionId, Path file, String shown) {
        Map<Path, FileStamp> files = seen.get(sessionId);
        if (files == null) return;
        FileStamp last;
        synchronized (files) {
            last = files.get(file);
        }
        if (last == null) return;
        Optional<FileStamp> now = FileStamp.of(file);
        if (now.isPresent() && now.get().equals(last)) return;
        throw new ToolFailure(shown + (now.isEmpty() ? " was deleted or replaced" : " has changed on disk")
                + " since you last read it (the user, a command or another tool changed it). Read it again, then make your change "
                + "to what is there now; nothing was written.");
    }

    /**
     * Refuses when {@code file} is no longer the version {@code taken} when a tool read it (before asking the user, who
     * may take minutes and edit the file meanwhile): the change was computed from that version.
     */
    static void requireSame(Optional<FileStamp> taken, Path file, String shown) {
        try {
            // a folder above swapped for a link is the graver change, and is named as such
            TextFile.unmoved(file);
        } catch (java.io.IOException e) {
            throw new ToolFailure("cannot write " + shown + ": " + e.getMessage() + "; nothing was written.", e);
        }
        if (FileStamp.of(file).equals(taken)) return;
        throw new ToolFailure(shown + " changed on disk while this change was waiting (the user, a command or another tool changed it). "
                + "Read it again, then make your change to what is there now; nothing was written.");
    }

    /** Forgets what a session saw (when it is deleted). */
    public void forgetSession(String sessionId) {
        seen.remove(sessionId);
    }
}
