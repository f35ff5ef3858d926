package dev.lathe.llm.sse;

import java.io.IOException;
import java.io.Reader;

/**
 * Cuts a character stream into SSE lines (ended by CRLF, LF or CR) without letting one line grow without bound: a
 * line longer than {@code maxChars} fails with {@link SseTooLarge} as soon as it passes the limit, so a provider (or
 * something posing as one) that never sends a line break cannot fill the memory. Linear in the stream's length; not
 * thread-safe.
 */
public final class SseLineReader {
    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[16 * 1024];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int len;
    private boolean afterCr;

    public SseLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its ending, or null at the end of the stream. */
    public String next() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == len) {
                int n = in.read(buffer, 0, buffer.length);
                if (n <= 0) return any ? line.toString() : null;
                pos = 0;
                len = n;
            }
            if (afterCr) {
                afterCr = false;
                if (buffer[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < len && buffer[pos] != '\n' && buffer[pos] != '\r') pos++;
            if (line.length() + (pos - start) > maxChars) throw new SseTooLarge("one line of the stream is longer than " + SseTooLarge.size(maxChars));
            line.append(buffer, start, pos - start);
            any = true;
            if (pos < len) {
                afterCr = buffer[pos++] == '\r';
                return line.toString();
            }
        }
    }
}
