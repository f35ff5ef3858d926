package dev.lathe.core.session.journal;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw log of failed attempts: what a step streamed before its provider failed (a reset, a stall, a malformed
 * event, an overflow), which the turn deletes from the history before the step is sent again. It is kept only here,
 * one JSON line per failed attempt in {@code $XDG_STATE_HOME/lathe/raw/<session>.jsonl}, never in the database, for
 * whoever wants to see what the model said before the fault.
 *
 * <p>Bounded: a part's text is cut to {@value #MAX_TEXT_CHARS} characters, and a file that passed
 * {@value #MAX_FILE_BYTES} bytes is moved to {@code <session>.jsonl.1} (replacing the older one) before the next line,
 * so a session keeps at most about twice that. Failing to write is logged and otherwise ignored: the log is a
 * convenience, never a reason for a turn to fail.
 */
public final class RawLog {
    static final int MAX_TEXT_CHARS = 64 * 1024;
    static final long MAX_FILE_BYTES = 1024 * 1024;
    /** A log that keeps nothing (tests and tools that have no state folder). */
    public static final RawLog NONE = new RawLog(null);

    private final Path folder;

    /** {@code folder}: where the per-session files go ({@code <state>/raw}). */
    public RawLog(Path folder) {
        this.folder = folder;
    }

    /** One discarded part as logged: its kind, id, and text (a tool call's name and arguments). */
    record Piece(String type, String id, String text) {}

    /** One failed attempt. */
    record Attempt(long at, String session, String message, String error, List<Piece> parts) {}

    /** The file a session's failed attempts go to. */
    Path file(SessionId session) {
        return folder.resolve(session.value() + ".jsonl");
    }

    /** Appends the parts a failed attempt of {@code session} streamed, with the error that ended it. */
    public synchronized void failedAttempt(SessionId session, String message, String error, List<Part> discarded) {
        if (folder == null || discarded.isEmpty()) return;
        List<Piece> pieces = new ArrayList<>();
        for (Part p : discarded) {
            switch (p) {
                case Part.Text t -> pieces.add(new Piece("text", t.id().value(), cut(t.text())));
                case Part.Reasoning r -> pieces.add(new Piece("reasoning", r.id().value(), cut(r.text())));
                case Part.Tool t -> pieces.add(new Piece("tool", t.callId(), cut(t.tool() + " " + t.input().json())));
                case Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Subtask _,
                        Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        String line = WireJson.write(new Attempt(System.currentTimeMillis(), session.value(), message, error, pieces)) + "\n";
        Path file = file(session);
        try {
            Files.createDirectories(folder);
            if (Files.exists(file) && Files.size(file) >= MAX_FILE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            System.getLogger(RawLog.class.getName()).log(System.Logger.Level.WARNING, "cannot write the raw log " + file + ": " + e.getMessage());
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS) + "\n[" + (text.length() - MAX_TEXT_CHARS) + " more characters not logged]";
    }
}
