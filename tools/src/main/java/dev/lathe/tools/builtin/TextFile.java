package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A text file's content with LF line endings ({@code text}), plus what writing it back must restore: the characters as
 * they were ({@code raw}, line endings included), the {@link TextEncoding} its bytes were decoded with, a UTF-8
 * byte-order mark, and whether new lines get CRLF. {@link #withText} splices: only the span that differs between the old
 * and the new text is replaced in {@code raw}, so every other byte — mixed line endings, bytes of a Latin-1 file — is
 * written back exactly as it was read. Binary files, files over {@link #MAX_BYTES} and anything but a regular file are
 * refused. Files are read and written without following a link at the last component: callers pass the real path they
 * checked ({@link dev.lathe.tools.ProjectPaths#real}), so a link swapped in since is refused, not followed; writes are
 * atomic ({@link AtomicWrite}).
 */
record TextFile(String text, String raw, TextEncoding encoding, boolean bom, boolean crlf) {
    static final TextFile NEW = new TextFile("", "", TextEncoding.UTF_8, false, false);

    /** The largest file edit, write and apply_patch load whole (they keep it in memory, twice, to compute a diff). */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    static TextFile read(Path file) {
        try {
            requireRegular(file, "edit");
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new ToolFailure(file + " is too large to edit here (" + size / (1024 * 1024) + " MB; at most "
                    + MAX_BYTES / (1024 * 1024) + " MB): change it with a command (sed, a script) instead.");
            byte[] bytes;
            try (var in = open(file)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) throw new ToolFailure(file + " grew past " + MAX_BYTES / (1024 * 1024) + " MB while it was read");
            if (isBinary(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 8192)))) {
                throw new ToolFailure(file + " is a binary file, not text: it cannot be edited as text (inspect or change it with a command).");
            }
            return of(bytes);
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The text file these bytes hold. */
    static TextFile of(byte[] bytes) {
        boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
        int from = bom ? 3 : 0;
        TextEncoding encoding = TextEncoding.detect(bytes, from, bytes.length - from);
        String raw = encoding.decode(bytes, from, bytes.length - from);
        boolean crlf = raw.contains("\r\n");
        return new TextFile(crlf ? raw.replace("\r\n", "\n") : raw, raw, encoding, bom, crlf);
    }

    /**
     * This file with {@code newText} (LF line endings) as its content: the common beginning and end of the old and new
     * text keep their raw characters, and only the middle that changed is replaced, with this file's line ending.
     */
    TextFile withText(String newText) {
        int prefix = 0;
        int max = Math.min(text.length(), newText.length());
        while (prefix < max && text.charAt(prefix) == newText.charAt(prefix)) prefix++;
        int suffix = 0;
        while (suffix < max - prefix && text.charAt(text.length() - 1 - suffix) == newText.charAt(newText.length() - 1 - suffix)) suffix++;
        String middle = newText.substring(prefix, newText.length() - suffix);
        if (crlf) middle = middle.replace("\n", "\r\n");
        String newRaw = raw.substring(0, rawOffset(prefix)) + middle + raw.substring(rawOffset(text.length() - suffix));
        return new TextFile(newText, newRaw, encoding, bom, crlf);
    }

    /** Where the character at {@code index} of {@code text} starts in {@code raw} (before the CR of its CRLF). */
    private int rawOffset(int index) {
        if (!crlf) return index;
        int r = 0;
        for (int t = 0; t < index; ) {
            if (raw.charAt(r) == '\r' && r + 1 < raw.length() && raw.charAt(r + 1) == '\n') {
                r++;
            } else {
                r++;
                t++;
            }
        }
        return r;
    }

    /** The bytes this file is written as. */
    byte[] bytes(Path file) {
        byte[] body = encoding.encode(raw).orElseThrow(() -> new ToolFailure("cannot write " + file + ": it is a " + encoding.charset().name()
                + " file (not UTF-8) and the new text has characters that encoding cannot hold; keep to its characters or convert the file first."));
        if (!bom) return body;
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        return withBom;
    }

    /** Writes this text to {@code file}; {@code project}: where a hard link's other names may be and it still be written in place. */
    void write(Path file, Path project) {
        write(file, project, AtomicWrite.DEFAULT);
    }

    void write(Path file, Path project, AtomicWrite how) {
        byte[] body = bytes(file);
        try {
            Path parent = file.getParent();
            if (parent != null) Files.createDirectories(parent);
            unmoved(file);
            how.replace(file, body, project);
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + file + ": " + describe(e) + "; the file was left as it was.", e);
        }
    }

    /**
     * This file's new bytes staged beside {@code file} ({@link AtomicWrite.Staged}), for a change of several files that
     * commits only once every file is staged; a failure throws a {@link ToolFailure} that names {@code shown}.
     */
    AtomicWrite.Staged stage(Path file, String shown, Path project) {
        byte[] body = bytes(file);
        try {
            Path parent = file.getParent();
            if (parent != null) Files.createDirectories(parent);
            unmoved(file);
            return AtomicWrite.DEFAULT.stage(file, body, project);
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + shown + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException a && a.getReason() != null) return a.getReason();
        return m;
    }

    /**
     * Refuses anything but a regular file (not following a link): a FIFO or a socket would block an open or a read
     * forever, a device may never end. {@code what} names the operation in the message.
     */
    static void requireRegular(Path file, String what) throws IOException {
        var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() || a.isDirectory()) return;
        String kind = a.isSymbolicLink() ? "a symbolic link (swapped in since it was checked)" : a.isOther() ? special(file) : "not a regular file";
        throw new ToolFailure("Cannot " + what + " " + file + ": it is " + kind + ", not a regular file. Only regular files can be "
                + (what.equals("read") ? "read" : what.equals("search") ? "searched" : "edited") + " here; inspect it with a command if you must (with a timeout).");
    }

    private static String special(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (((Integer) mode) & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /**
     * {@code file} (a real path the tool checked) opened for reading through the gateway ({@link FileGateway}): a
     * symbolic link there, a folder on the way swapped for one, a FIFO or a device (swapped in after the check) fails
     * to open. The gateway's {@code anywhere}: the tool's permission and real-path checks have decided where it may read.
     */
    static java.io.InputStream open(Path file) throws IOException {
        unmoved(file);
        FileGateway.Opened opened = FileGateway.anywhere().open(file);
        // the parent was its own real path a moment ago: the file opened must be this path now too, or a folder on the
        // way was swapped for a link in between
        if (!opened.real().equals(file)) {
            opened.close();
            throw new IOException(file + " was reached through a link swapped in since it was checked (it is " + opened.real() + ")");
        }
        return opened.in();
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
