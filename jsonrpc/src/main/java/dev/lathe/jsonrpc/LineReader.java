package dev.lathe.jsonrpc;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads {@code \n}-ended lines (a {@code \r} before the {@code \n} dropped) of at most a given length: a peer that
 * never ends its line must not make the reader hold it all.
 */
final class LineReader {
    /** A line longer than the cap: what was read of it is dropped, and the stream is no longer in step. */
    static final class TooLong extends IOException {
        TooLong(int max) { super("a message longer than " + max + " characters"); }
    }

    private final Reader in;
    private final int max;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    LineReader(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line, or {@code null} at the end of the input (a last line without {@code \n} included). */
    String readLine() throws IOException {
        var line = new StringBuilder();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    if (line.length() > max) throw new TooLong(max);
                    return line.isEmpty() ? null : line.toString();
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') position++;
            // one more for a \r before the \n, which is not part of the line
            if (line.length() + (position - start) > max + 1) throw new TooLong(max);
            line.append(buffer, start, position - start);
            if (position < limit) {
                position++;  // the \n
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
                if (line.length() > max) throw new TooLong(max);
                return line.toString();
            }
        }
    }
}
