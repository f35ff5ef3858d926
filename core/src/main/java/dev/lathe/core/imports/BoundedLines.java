package dev.lathe.core.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The lines of a file another harness wrote, read with a cap on each (issue 52): a line longer than the cap is never
 * held, only counted and passed over to its end, so one hostile 150 MB line costs a 64 KiB buffer instead of the
 * several hundred MiB a {@code readLine} of it took (the string, the reader's doubling buffer, the parsed tree). Every
 * read of a file an import names goes through here: lines by {@link #next}, a whole JSON document by
 * {@link #document}. Not thread-safe.
 */
final class BoundedLines implements AutoCloseable {
    /**
     * The longest record read: far above a real transcript's largest line (a tool result holding a screenshot, a few
     * MiB of base64), small enough that a record at the cap, made a string and a tree, fits a small heap.
     */
    static final int MAX_RECORD_BYTES = 8 << 20;

    /**
     * The most of one session file read (issue 52): months of a real transcript are tens of MiB; what an import keeps
     * of a file is held in memory until it is stored, so a larger file (or an endless one) is refused, not read.
     */
    static final long MAX_FILE_BYTES = 512L << 20;

    /** One line: its number (from 1) and its text, or {@link Optional#empty} when it was longer than the cap. */
    record Line(long number, Optional<String> text) {}

    private final InputStream in;
    private final int cap;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;
    private long number;

    BoundedLines(InputStream in, int cap) {
        this.in = in;
        this.cap = cap;
    }

    /** The next line ({@code \n} or the end of the file ends it; a closing {@code \r} is kept), or empty at the end. */
    Optional<Line> next() throws IOException {
        length = 0;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) return Optional.empty();
                    break;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') position++;
            int n = position - start;
            if (!tooLong && length + (long) n > cap) tooLong = true;
            if (!tooLong) append(start, n);
            if (position < limit) {
                position++;  // the newline
                break;
            }
        }
        number++;
        return Optional.of(new Line(number, tooLong ? Optional.empty() : Optional.of(new String(line, 0, length, StandardCharsets.UTF_8))));
    }

    private void append(int start, int n) {
        if (length + n > line.length) line = Arrays.copyOf(line, Math.max(length + n, Math.min(cap, line.length * 2)));
        System.arraycopy(buffer, start, line, length, n);
        length += n;
    }

    /**
     * All of {@code in} as text when it holds at most {@code cap} bytes (a JSON file of OpenCode's, a subagent's
     * metadata), else empty: never more than the cap plus one byte is read.
     */
    static Optional<String> document(InputStream in, int cap) throws IOException {
        byte[] bytes = in.readNBytes(cap + 1);
        return bytes.length > cap ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The cap as people read it: "8 MiB". */
    static String shown(int cap) {
        return cap % (1 << 20) == 0 ? (cap >> 20) + " MiB" : cap + " bytes";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
