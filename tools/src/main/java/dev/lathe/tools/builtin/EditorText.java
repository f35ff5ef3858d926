package dev.lathe.tools.builtin;

import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file tools' side of {@link EditorFiles}: a file's text as the editor attached to the session holds it, and a
 * write handed to that editor. The disk stays the record — snapshots, undo, diffs and language servers read it — so a
 * write the editor took is checked on disk afterwards, and written there too when the editor did not save it (an editor
 * that only updated its buffer). What the editor is sent is the file's raw text (its line endings, without a byte-order
 * mark), what it answers is taken over the disk's encoding, byte-order mark and line endings.
 */
final class EditorText {
    /**
     * The largest file whose text goes through the editor: it travels as one JSON event and one answer body (the server
     * takes bodies up to 10 MB, and JSON escaping can double the bytes); larger files stay on disk.
     */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private EditorText() {}

    /** Whether {@code file} on disk is small enough to be asked of the editor (a missing file is). */
    static boolean small(Path file) {
        try {
            return !Files.exists(file) || Files.size(file) <= MAX_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The file as it is to be edited: the editor's text when it offers it, else {@code onDisk}; {@code notes} gets why not
     * when it failed. A path whose edit a rule denies ({@code patterns}, {@link dev.lathe.tools.Permissions#denies}) is
     * not sent to the editor: the tool's own check refuses it next.
     */
    static TextFile current(ToolContext ctx, Path file, List<String> patterns, TextFile onDisk, StringBuilder notes) {
        if (!small(file) || ctx.guards().permissions().denies(new PermissionCheck("edit", PermissionSource.Pattern.PATH, patterns, patterns, "Edit " + file, Map.of()))) {
            return onDisk;
        }
        return switch (ctx.session().editorFiles().read(file)) {
            case EditorFiles.Read.Text t -> over(onDisk, t.content());
            case EditorFiles.Read.NotOffered _ -> onDisk;
            case EditorFiles.Read.Failed f -> {
                notes.append(readFailed(f.why()));
                yield onDisk;
            }
        };
    }

    /** The note a result carries when the editor's text could not be had. */
    static String readFailed(String why) {
        return " (The editor's copy could not be read, " + why + "; this is the file on disk.)";
    }

    /** {@code content} (the editor's text) with {@code disk}'s encoding, byte-order mark and line endings. */
    static TextFile over(TextFile disk, String content) {
        boolean bom = disk.bom() || content.startsWith("\uFEFF");
        String body = content.startsWith("\uFEFF") ? content.substring(1) : content;
        String text = body.replace("\r\n", "\n");
        boolean crlf = disk.crlf() || body.contains("\r\n");
        // an editor that normalised a CRLF file's buffer to LF answers LF: written back, the file keeps its CRLF
        String raw = body.contains("\r\n") || !crlf ? body : text.replace("\n", "\r\n");
        return new TextFile(text, raw, disk.encoding(), bom, crlf);
    }

    /**
     * Writes {@code after} to {@code file}: through the editor when it takes writes, else to disk. {@code shown} names the
     * file in messages.
     *
     * @throws ToolFailure when the editor failed or did not answer (nothing was written), or the disk write failed
     */
    static void write(ToolContext ctx, Path file, String shown, TextFile after) {
        if (!throughEditor(ctx, file, shown, after)) after.write(file, ctx.folders().project());
    }

    /**
     * Hands {@code after} to the editor; true when it took it and the disk holds it now (written here when the editor did
     * not save it), false when no editor takes writes (the caller writes the disk).
     *
     * @throws ToolFailure when the editor failed or did not answer: nothing was written
     */
    static boolean throughEditor(ToolContext ctx, Path file, String shown, TextFile after) {
        byte[] expected = after.bytes(file);
        if (expected.length > MAX_BYTES) return false;
        try {
            // an editor asked to save a file in a folder that does not exist yet may not create it
            Path parent = file.getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + shown + ": " + e.getMessage() + "; nothing was written.", e);
        }
        return switch (ctx.session().editorFiles().write(file, after.raw())) {
            case EditorFiles.Write.NotOffered _ -> false;
            case EditorFiles.Write.Failed f -> throw new ToolFailure("The editor did not save " + shown + ": " + f.why()
                    + "; nothing was written. Try again, or ask the user.");
            case EditorFiles.Write.Written _ -> {
                if (!savedAs(file, expected, after.text())) after.write(file, ctx.folders().project());
                yield true;
            }
        };
    }

    /** Whether the disk holds {@code text}: the bytes expected, or the same text in the editor's own encoding or line endings. */
    private static boolean savedAs(Path file, byte[] expected, String text) {
        Optional<byte[]> now = bytes(file);
        if (now.isEmpty()) return false;
        if (Arrays.equals(now.get(), expected)) return true;
        return !TextFile.isBinary(Arrays.copyOf(now.get(), Math.min(now.get().length, 8192))) && TextFile.of(now.get()).text().equals(text);
    }

    private static Optional<byte[]> bytes(Path file) {
        try (var in = TextFile.open(file)) {
            byte[] all = in.readNBytes((int) TextFile.MAX_BYTES + 1);
            return all.length > TextFile.MAX_BYTES ? Optional.empty() : Optional.of(all);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
