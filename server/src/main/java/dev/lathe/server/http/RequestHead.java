package dev.lathe.server.http;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request line and its header fields, read within a byte budget (the whole head, as sent) and a field count, so a
 * head of any size costs at most the budget before it is refused with 431.
 *
 * @param method  as sent, e.g. {@code GET}
 * @param target  the request target as a URI (origin form, or absolute form)
 * @param version e.g. {@code HTTP/1.1}
 */
record RequestHead(String method, URI target, String version, Headers headers) {
    /** More fields than any client of ours sends; the JDK server's own default is 200. */
    static final int MAX_FIELDS = 200;

    /** The head cannot be served; answered with {@code status} and the connection closed. */
    static final class Refused extends Exception {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        int status() { return status; }

        String code() { return code; }
    }

    static Refused tooLarge(int maxBytes) {
        return new Refused(431, "header_too_large", "the request head (request line and header fields) is larger than " + maxBytes + " bytes");
    }

    /**
     * Reads a head whose first byte ({@code first}) was already read.
     *
     * @throws Refused 431 above {@code maxBytes} or {@link #MAX_FIELDS}, 400 when it is not HTTP/1.x
     */
    static RequestHead read(int first, InputStream in, int maxBytes) throws IOException, Refused {
        var budget = new int[] {maxBytes};
        String requestLine = line(first, in, budget, maxBytes);
        while (requestLine.isEmpty()) requestLine = line(in.read(), in, budget, maxBytes);  // stray CRLFs before a request
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new Refused(400, "bad_request", "malformed request line");
        }
        URI target;
        try {
            target = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new Refused(400, "bad_request", "malformed request target: " + e.getReason());
        }
        var headers = new Headers();
        int fields = 0;
        while (true) {
            String line = line(in.read(), in, budget, maxBytes);
            if (line.isEmpty()) break;
            if (++fields > MAX_FIELDS) throw new Refused(431, "header_too_large", "more than " + MAX_FIELDS + " header fields");
            int colon = line.indexOf(':');
            // a folded line (starting with white space) or white space before the colon can smuggle a field past a proxy
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t' || !isToken(line.substring(0, colon))) {
                throw new Refused(400, "bad_request", "malformed header field");
            }
            headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return new RequestHead(parts[0], target, parts[2], headers);
    }

    Optional<String> header(String name) { return Optional.ofNullable(headers.getFirst(name)); }

    /** Every comma-separated token of every {@code name} field, lower case. */
    List<String> tokens(String name) {
        return headers.getOrDefault(name, List.of()).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .toList();
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it. */
    boolean keepsConnection() {
        List<String> connection = tokens("Connection");
        if (connection.contains("close")) return false;
        return version.equals("HTTP/1.1") || connection.contains("keep-alive");
    }

    boolean expectsContinue() {
        return header("Expect").map(v -> v.strip().equalsIgnoreCase("100-continue")).orElse(false);
    }

    /** One line without its CRLF (a bare LF is accepted), as ISO-8859-1; every byte counts against {@code budget}. */
    private static String line(int first, InputStream in, int[] budget, int maxBytes) throws IOException, Refused {
        var bytes = new ByteArrayOutputStream(64);
        int b = first;
        while (true) {
            if (b < 0) throw new java.io.EOFException("the connection closed in the middle of a request head");
            if (--budget[0] < 0) throw tooLarge(maxBytes);
            if (b == '\n') break;
            bytes.write(b);
            b = in.read();
        }
        byte[] raw = bytes.toByteArray();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!ok) return false;
        }
        return true;
    }
}
