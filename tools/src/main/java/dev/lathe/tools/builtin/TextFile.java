package dev.lathe.tools.builtin;

import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A text file's content with LF line endings, plus what to restore when writing it back: a UTF-8 byte-order mark and
 * CRLF line endings. Files are read and written without following a link at the last component: callers pass the real
 * path they checked ({@link dev.lathe.tools.ProjectPaths#real}), so a link swapped in since is refused, not followed.
 */
record TextFile(String text, boolean bom, boolean crlf) {
    static final TextFile NEW = new TextFile("", false, false);

    static TextFile read(Path file) {
        try {
            byte[] bytes;
            try (var in = open(file)) {
                bytes = in.readAllBytes();
            }
            boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
            String raw = new String(bytes, bom ? 3 : 0, bytes.length - (bom ? 3 : 0), StandardCharsets.UTF_8);
            boolean crlf = raw.contains("\r\n");
            return new TextFile(crlf ? raw.replace("\r\n", "\n") : raw, bom, crlf);
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    TextFile withText(String newText) { return new TextFile(newText, bom, crlf); }

    void write(Path file) {
        String out = crlf ? text.replace("\r\n", "\n").replace("\n", "\r\n") : text;
        byte[] body = out.getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.getParent();
            if (parent != null) Files.createDirectories(parent);
            unmoved(file);
            if (bom) {
                byte[] withBom = new byte[body.length + 3];
                withBom[0] = (byte) 0xEF;
                withBom[1] = (byte) 0xBB;
                withBom[2] = (byte) 0xBF;
                System.arraycopy(body, 0, withBom, 3, body.length);
                body = withBom;
            }
            Files.write(file, body, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code file} opened for reading; a symbolic link there (swapped in after the check) fails to open. */
    static java.io.InputStream open(Path file) throws IOException {
        unmoved(file);
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Refuses when a folder above {@code file} has become a link since it was resolved: an ask can wait minutes for an
     * answer, and a parent folder swapped for a link meanwhile would otherwise be followed (the no-follow open guards the
     * last component only). What remains is the instant between this check and the open, which the sandbox contains.
     */
    static void unmoved(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent == null || !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) return;
        if (!parent.toRealPath().equals(parent)) throw new IOException(parent + " has changed into a link since it was checked");
    }

    /** Whether the first 8 KB of {@code file} hold a NUL byte; an unreadable file is not called binary. */
    static boolean looksBinary(Path file) {
        return hasNul(head(file));
    }

    /** Whether the first 8 KB of {@code file} look binary by {@link #isBinary}: the stricter test {@code read} uses. */
    static boolean looksBinaryByContent(Path file) {
        return isBinary(head(file));
    }

    private static byte[] head(Path file) {
        try (var in = open(file)) {
            return in.readNBytes(8192);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * A NUL byte, or more than 30% control characters other than tab, newlines, form feed, backspace and escape: UTF-16
     * text, executables and compressed data all trip this, while UTF-8 text of any language never does (its high bytes
     * are not control characters).
     */
    static boolean isBinary(byte[] head) {
        if (head.length == 0) return false;
        int control = 0;
        for (byte b : head) {
            if (b == 0) return true;
            if (b > 0 && b < 32 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 8 && b != 27) control++;
        }
        return control * 10 > head.length * 3;
    }

    /** ripgrep's test for binary: any NUL byte. grep uses it so the two search paths skip the same files. */
    static boolean hasNul(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return true;
        return false;
    }
}
