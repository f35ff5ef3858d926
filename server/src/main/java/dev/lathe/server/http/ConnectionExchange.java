package dev.lathe.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request of a {@link ClientConnection} in the shape of the JDK's {@link HttpExchange}, so routes are written
 * against the same API whoever reads the socket. Framing follows {@code sendResponseHeaders}: a length above zero is
 * {@code Content-Length}, zero is chunked, -1 is no body. Not thread-safe, except that an event stream's writer may
 * be interrupted from another thread (which closes the socket), and {@link #resetOnClose} may be called from any.
 */
final class ConnectionExchange extends HttpExchange {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final RequestHead head;
    private final RequestBody requestBody;
    private final OutputStream out;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream responseStream = OutputStream.nullOutputStream();
    private ResponseBody responseBody;
    private int status = -1;
    private boolean closesConnection;

    /** Makes the connection end with a reset when it is closed (see {@link #resetOnClose}). */
    private final Runnable resetter;
    /** Starts watching the connection for the client's close (see {@link #whenClientCloses}). */
    private final java.util.function.Consumer<Runnable> closeWatch;

    ConnectionExchange(RequestHead head, RequestBody requestBody, OutputStream out, InetSocketAddress local, InetSocketAddress remote,
            Runnable resetter, java.util.function.Consumer<Runnable> closeWatch) {
        this.resetter = resetter;
        this.closeWatch = closeWatch;
        this.head = head;
        this.requestBody = requestBody;
        this.in = requestBody;
        this.out = out;
        this.local = local;
        this.remote = remote;
        this.closesConnection = !head.keepsConnection();
    }

    /** Sends {@code 100 Continue} to a client waiting for it, unless a final response went out already. */
    void continueIfExpected() {
        if (!head.expectsContinue() || status != -1) return;
        try {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean responded() { return status != -1; }

    /**
     * The connection ends with a reset rather than a close, from any thread: the kernel drops at once what a client that
     * stopped reading never took (an orphaned socket would keep sending its buffer, megabytes, until the peer read it or
     * a timeout of minutes), and the client, which resumes with {@code Last-Event-ID} anyway, learns at once that it ended.
     */
    void resetOnClose() { resetter.run(); }

    /**
     * Runs {@code then} once the client closes the connection, from another thread, while this exchange's response is
     * still going out: a response that never ends (the event stream) learns at once that nobody reads it, instead of at
     * its second write after the close. The connection is not kept for another request: the watch reads it from now on.
     */
    void whenClientCloses(Runnable then) {
        closesConnection = true;
        closeWatch.accept(then);
    }

    /** True when the response went out whole, the request body was read to its end, and nobody asked to close. */
    boolean reusable() {
        return responseEnded() && requestBody.isComplete();
    }

    /** True when the response went out whole and nobody asked to close the connection. */
    boolean responseEnded() {
        return !closesConnection && responseBody != null && responseBody.isComplete();
    }

    @Override public Headers getRequestHeaders() { return head.headers(); }

    @Override public Headers getResponseHeaders() { return responseHeaders; }

    @Override public URI getRequestURI() { return head.target(); }

    @Override public String getRequestMethod() { return head.method(); }

    @Override public HttpContext getHttpContext() { throw new UnsupportedOperationException("Lathe's server has no contexts"); }

    @Override
    public void close() {
        try {
            if (responseBody != null) responseStream.close();
        } catch (IOException e) {
            closesConnection = true;
        }
    }

    @Override public InputStream getRequestBody() { return in; }

    @Override public OutputStream getResponseBody() { return responseStream; }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (status != -1) throw new IOException("the response headers were sent already");
        status = rCode;
        boolean bodyless = head.method().equals("HEAD") || rCode == 204 || rCode == 304 || rCode < 200;
        // a client that asked for 100 Continue and got an answer without it may still send the body, or not: close
        if (head.expectsContinue() && !requestBody.isComplete()) closesConnection = true;
        var sb = new StringBuilder(256).append("HTTP/1.1 ").append(rCode)
                .append(' ').append(reason(rCode)).append("\r\n");
        sb.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        responseHeaders.remove("Content-Length");
        responseHeaders.remove("Transfer-Encoding");
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            for (String v : e.getValue()) sb.append(e.getKey()).append(": ").append(v).append("\r\n");
        }
        if (bodyless) {
            if (responseLength > 0 && head.method().equals("HEAD")) sb.append("Content-Length: ").append(responseLength).append("\r\n");
            responseBody = head.method().equals("HEAD") ? ResponseBody.discarding(out) : ResponseBody.none(out);
        } else if (responseLength > 0) {
            sb.append("Content-Length: ").append(responseLength).append("\r\n");
            responseBody = ResponseBody.ofLength(out, responseLength);
        } else if (responseLength == 0) {
            if (head.version().equals("HTTP/1.0")) closesConnection = true;  // no chunks in 1.0: the close ends the body
            else sb.append("Transfer-Encoding: chunked\r\n");
            responseBody = head.version().equals("HTTP/1.0") ? ResponseBody.ofLength(out, Long.MAX_VALUE) : ResponseBody.chunked(out);
        } else {
            sb.append("Content-Length: 0\r\n");
            responseBody = ResponseBody.none(out);
        }
        if (closesConnection || responseHeaders.containsKey("Connection") && "close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))) {
            closesConnection = true;
            if (!responseHeaders.containsKey("Connection")) sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        responseStream = responseBody;
        if (bodyless || responseLength < 0) {
            responseBody.close();
            // a route writing after the headers writes into the void, as with the JDK server
            if (head.method().equals("HEAD")) responseStream = ResponseBody.discarding(OutputStream.nullOutputStream());
        }
    }

    @Override public InetSocketAddress getRemoteAddress() { return remote; }

    @Override public int getResponseCode() { return status; }

    @Override public InetSocketAddress getLocalAddress() { return local; }

    @Override public String getProtocol() { return head.version(); }

    @Override public Object getAttribute(String name) { return attributes.get(name); }

    @Override public void setAttribute(String name, Object value) {
        if (value == null) attributes.remove(name);
        else attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) in = i;
        if (o != null) responseStream = o;
    }

    @Override public HttpPrincipal getPrincipal() { return null; }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
