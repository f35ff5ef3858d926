package dev.lathe.llm.http;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status line and header fields of an HTTP/1.1 response as {@link BlockingHttp} reads them: names in lower case
 * (as {@link StreamOutcome} reports them), a repeated field's values joined with {@code ","} (as the JDK client's were).
 * The whole head is bounded: a header line or a status line that never ends fails after {@link #MAX_BYTES}.
 */
record HttpHead(int status, boolean http10, Map<String, String> headers) {
    /** Status line and fields together; far more than any provider sends, small enough to bound memory. */
    static final int MAX_BYTES = 64 * 1024;

    String header(String lowerCaseName) { return headers.get(lowerCaseName); }

    /** The final response's head, after skipping interim (1xx) ones. */
    static HttpHead read(HttpConnection in) throws IOException {
        while (true) {
            HttpHead head = readOne(in);
            if (head.status() == 101) throw new IOException("the server switched protocols (101), which was never asked for");
            if (head.status() >= 200) return head;
        }
    }

    private static HttpHead readOne(HttpConnection in) throws IOException {
        String statusLine;
        try {
            statusLine = in.readLine(MAX_BYTES);
        } catch (EOFException e) {
            throw new EOFException("the server closed the connection without answering");
        }
        if (statusLine == null) throw tooLarge();
        int status = status(statusLine);
        var headers = new TreeMap<String, String>();
        int budget = MAX_BYTES - statusLine.length();
        String last = null;
        while (true) {
            String line = in.readLine(budget);
            if (line == null) throw tooLarge();
            budget -= line.length() + 2;
            if (line.isEmpty()) return new HttpHead(status, statusLine.startsWith("HTTP/1.0"), headers);
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // an obsolete folded line continues the previous field (RFC 9112 §5.2: replace the fold with a space)
                if (last == null) throw new IOException("malformed header line: " + quoted(line));
                headers.put(last, headers.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !BlockingHttp.isToken(line.substring(0, colon))) throw new IOException("malformed header line: " + quoted(line));
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (earlier, next) -> earlier + "," + next);
            last = name;
        }
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason]} (some servers leave out the space before an empty reason). */
    private static int status(String line) throws IOException {
        boolean ok = line.length() >= 12 && line.startsWith("HTTP/1.") && isDigit(line.charAt(7)) && line.charAt(8) == ' '
                && isDigit(line.charAt(9)) && isDigit(line.charAt(10)) && isDigit(line.charAt(11))
                && (line.length() == 12 || line.charAt(12) == ' ');
        if (!ok) throw new IOException("malformed status line: " + quoted(line));
        int status = Integer.parseInt(line, 9, 12, 10);
        if (status < 100) throw new IOException("malformed status line: " + quoted(line));
        return status;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static IOException tooLarge() { return new IOException("the response head is larger than " + MAX_BYTES + " bytes"); }

    /** {@code text} for an error message: at most 80 characters, control characters shown as {@code ?}. */
    static String quoted(String text) {
        var out = new StringBuilder("'");
        for (int i = 0; i < Math.min(text.length(), 80); i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 0x7F ? '?' : c);
        }
        return out.append(text.length() > 80 ? "...'" : "'").toString();
    }
}
