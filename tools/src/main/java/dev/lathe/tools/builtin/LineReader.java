package dev.lathe.tools.builtin;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;

/**
 * Lines of a stream in bounded memory, however long the file or its lines: each line keeps at most {@code maxChars}
 * characters and the rest of it is read past, never held ({@code BufferedReader.readLine} would hold a 500 MB line with
 * no line break whole). A line ends at LF; a CR before it is dropped. Decoding errors surface as the decoder reports
 * them (a {@code MalformedInputException} for a strict decoder).
 */
final class LineReader implements Closeable {
    /** One line: its first {@code maxChars} characters, and how many characters were left out after them. */
    record Line(String text, long cut) {}

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[8192];
    private int pos;
    private int end;

    LineReader(InputStream in, CharsetDecoder decoder, int maxChars) {
        this.in = new InputStreamReader(in, decoder);
        this.maxChars = maxChars;
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
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            int take = Math.min(pos - start, Math.max(0, maxChars + 1 - line.length()));
            line.append(buf, start, take);
            cut += (pos - start) - take;
            if (pos < end) {
                pos++;
                return finish(line, cut);
            }
        }
    }

    private Line finish(StringBuilder line, long cut) {
        // one character beyond the cap was kept so a final CR can be told apart from content that was cut
        if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r' && cut == 0) line.setLength(line.length() - 1);
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
