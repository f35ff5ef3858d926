package dev.lathe.tools.builtin;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;

/**
 * Lines of a stream in bounded memory, however long the file or its lines: each line keeps at most {@code maxChars}
 * characters and the rest of it is read past, never held ({@code BufferedReader.readLine} would hold a 500 MB line
 * with no line break whole). Decoding errors surface as the decoder reports them (a {@code MalformedInputException}
 * for a strict decoder).
 */
final class LineReader implements Closeable {
    /** One line, without its line break: its first {@code maxChars} characters, and how many were left out after them. */
    record Line(String text, long cut) {}

    /** Where a line ends. */
    enum Breaks {
        /** At LF only, a CR before it dropped: how grep and ripgrep count lines. */
        LF,
        /** At LF, CRLF or a lone CR: how {@code read} has always numbered lines ({@code BufferedReader.readLine}). */
        ANY
    }

    private final Reader in;
    private final int maxChars;
    private final Breaks breaks;
    private final char[] buf = new char[8192];
    private int pos;
    private int end;
    /** The last line ended at a CR: an LF right after it belongs to that line break. */
    private boolean afterCr;

    LineReader(InputStream in, CharsetDecoder decoder, int maxChars, Breaks breaks) {
        this.in = new InputStreamReader(in, decoder);
        this.maxChars = maxChars;
        this.breaks = breaks;
    }

    /** The next line, or {@code null} at the end of the stream. */
    Line next() throws IOException {
        var line = new StringBuilder();
        long cut = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? finish(line, cut) : null;
                }
            }
            if (afterCr) {
                afterCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n' && (breaks == Breaks.LF || buf[pos] != '\r')) pos++;
            int take = Math.min(pos - start, Math.max(0, maxChars + 1 - line.length()));
            line.append(buf, start, take);
            cut += (pos - start) - take;
            if (pos < end) {
                afterCr = buf[pos] == '\r';
                pos++;
                return finish(line, cut);
            }
        }
    }

    private Line finish(StringBuilder line, long cut) {
        // with LF breaks one character beyond the cap is kept, so that a CR ending the line is not taken for cut content
        if (breaks == Breaks.LF && !line.isEmpty() && line.charAt(line.length() - 1) == '\r' && cut == 0) line.setLength(line.length() - 1);
        if (line.length() > maxChars) {
            cut += line.length() - maxChars;
            line.setLength(maxChars);
        }
        return new Line(line.toString(), cut);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
