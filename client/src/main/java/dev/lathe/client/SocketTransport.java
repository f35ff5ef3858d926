package dev.lathe.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal blocking HTTP/1.1 client over {@link Socket}, for a plain {@code http://} server. It loads nothing of
 * {@code java.net.http} or TLS, whose set-up on a cold JVM took longer than the daemon needs to answer.
 *
 * <p>Each exchange opens its own connection and sends {@code Connection: close}: nothing to pool, no reuse to get
 * wrong (a half-read body, a server closing an idle connection), and a loopback connect costs about 0.1 ms.
 *
 * <p>The request timeout covers connecting and the wait for the response head; then each read of the body waits at
 * most as long again, or, for a stream ({@link BodyTimeout#NONE}), as long as it takes.
 */
final class SocketTransport implements HttpTransport {
    private final Duration connectTimeout;
    private final Set<SocketInput> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SocketTransport(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Response send(Request request) throws IOException, InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException("interrupted before " + request.method() + " " + request.uri().getPath());
        if (closed) throw new IOException("the client is closed");
        byte[] head = head(request);
        long deadline = System.nanoTime() + request.timeout().toNanos();
        var socket = new Socket();
        SocketInput in = null;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address(request.uri()), connectMillis(deadline));
            in = new SocketInput(socket, open);
            if (closed) throw new IOException("the client is closed");
            OutputStream out = socket.getOutputStream();
            out.write(head);
            if (request.body().isPresent()) out.write(request.body().get());
            out.flush();
            in.awaitHead(deadline, request.timeout());
            ResponseHead response = ResponseHead.read(in);
            in.awaitBody(request.bodyTimeout() == BodyTimeout.APPLIES ? request.timeout() : Duration.ZERO);
            return new Response(response.status(), response.headers(), body(request.method(), response, in));
        } catch (IOException | RuntimeException e) {
            if (in != null) in.close();
            else socket.close();
            // on a virtual thread, an interrupt closes the socket and the blocked call throws
            if (Thread.interrupted()) throw (InterruptedException) new InterruptedException("interrupted during " + request.method()).initCause(e);
            throw e;
        }
    }

    /** Aborts the exchanges still open (their bodies then fail to read) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        for (SocketInput in : Set.copyOf(open)) in.close();
    }

    private int connectMillis(long deadline) throws SocketTimeoutException {
        long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
        if (left <= 0) throw new SocketTimeoutException("timed out before connecting");
        return (int) Math.min(Integer.MAX_VALUE, Math.min(connectTimeout.toMillis(), left));
    }

    private static InetSocketAddress address(URI uri) throws IOException {
        String host = uri.getHost();
        if (host == null) throw new IOException("no host in " + uri);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, uri.getPort() < 0 ? 80 : uri.getPort());
    }

    /** The body as the head frames it (RFC 9112 §6.3: a transfer coding wins over a length). */
    private static InputStream body(String method, ResponseHead head, SocketInput in) throws IOException {
        if (method.equals("HEAD") || head.status() == 204 || head.status() == 304) return IdentityBody.ofLength(in, 0);
        var transferEncoding = head.header("Transfer-Encoding");
        if (transferEncoding.isPresent()) {
            // only a last coding of "chunked" delimits the body; anything else runs until the connection closes
            String[] codings = transferEncoding.get().split(",");
            boolean chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
            return chunked ? new ChunkedBody(in) : IdentityBody.untilClose(in);
        }
        var contentLength = head.header("Content-Length");
        return contentLength.isPresent() ? IdentityBody.ofLength(in, length(contentLength.get())) : IdentityBody.untilClose(in);
    }

    /** A {@code Content-Length}; a repeated field (joined with commas) must repeat the same number. */
    private static long length(String field) throws IOException {
        long length = -1;
        for (String part : field.split(",")) {
            String digits = part.strip();
            long value = -1;
            // digits only: Long.parseLong would also take a sign
            if (!digits.isEmpty() && digits.length() <= 18 && isDigits(digits)) value = Long.parseLong(digits);
            if (value < 0 || (length >= 0 && value != length)) throw new IOException("invalid Content-Length: " + ResponseHead.quoted(field));
            length = value;
        }
        return length;
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** Request line and header fields, with {@code Host}, a {@code Content-Length} for a body and {@code Connection: close}. */
    static byte[] head(Request request) {
        if (!isToken(request.method())) throw new IllegalArgumentException("invalid method: " + request.method());
        URI uri = URI.create(request.uri().toASCIIString());
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        var out = new StringBuilder(256).append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        field(out, "Host", hostField(uri));
        for (var header : request.headers().entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException("header set by the transport itself: " + header.getKey());
            }
            field(out, header.getKey(), header.getValue());
        }
        if (request.body().isPresent()) field(out, "Content-Length", Integer.toString(request.body().get().length));
        field(out, "Connection", "close");
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code host[:port]} as {@code Host} wants it, an IPv6 literal in brackets. */
    static String hostField(URI uri) {
        String host = uri.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (!isToken(name)) throw new IllegalArgumentException("invalid header name: " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // no CR or LF (they would end the field and let a value inject others), nothing outside one byte
            if ((c < ' ' && c != '\t') || c == 0x7F || c > 0xFF) throw new IllegalArgumentException("invalid character in header " + name);
        }
        out.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) return false;
        }
        return true;
    }
}
