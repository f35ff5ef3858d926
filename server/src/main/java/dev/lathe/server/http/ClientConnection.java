package dev.lathe.server.http;

import com.sun.net.httpserver.HttpHandler;
import dev.lathe.protocol.api.ErrorBody;
import dev.lathe.protocol.wire.WireJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One client connection, on its own virtual thread: reads each request's head within {@link ServerOptions.Limits}
 * (size: 431; time: 408), frames its body (too large by its {@code Content-Length}: 413; too slow: 408), hands it to
 * the handler as a {@link ConnectionExchange}, and keeps the connection for the next request when both sides ended
 * cleanly. A refused request is answered, then the connection is closed after reading (and discarding) what the
 * client is still sending for a moment, so the answer is not lost to a reset.
 */
final class ClientConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    /** How long a kept connection may wait for its next request (the JDK server's default idle interval). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** What is read and thrown away after a refusal before closing, at most. */
    private static final long LINGER_BYTES = 16L * 1024 * 1024;
    private static final Duration LINGER_TIME = Duration.ofSeconds(2);
    /** What is read of a body the handler left unread to reuse the connection; more closes it instead. */
    private static final long SKIP_BYTES = 64 * 1024;

    private final Socket socket;
    private final HttpHandler handler;
    private final ServerOptions.Limits limits;
    private final long maxBodyBytes;
    private final long acceptedAt = System.nanoTime();

    ClientConnection(Socket socket, HttpHandler handler, ServerOptions options) {
        this.socket = socket;
        this.handler = handler;
        this.limits = options.limits();
        this.maxBodyBytes = options.maxBodyBytes();
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            var deadline = new ReadDeadline(socket);
            InputStream in = new BufferedInputStream(deadline, 2048);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4096);
            boolean first = true;
            while (serve(deadline, in, out, first)) first = false;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "connection ended: {0}", e.toString());
        }
    }

    /** Serves one request; false when the connection is to be closed. */
    private boolean serve(ReadDeadline deadline, InputStream in, OutputStream out, boolean first) throws IOException {
        long headTime = limits.headerReadTimeout().toNanos();
        // a new connection has the header timeout from its accept to send a head; a kept one the idle time to start one
        deadline.until(first ? acceptedAt + headTime : System.nanoTime() + IDLE_TIMEOUT.toNanos(), ReadDeadline.Phase.IDLE);
        RequestHead head;
        try {
            int b = in.read();
            if (b < 0) return false;
            deadline.until(first ? acceptedAt + headTime : System.nanoTime() + headTime, ReadDeadline.Phase.HEAD);
            head = RequestHead.read(b, in, limits.maxHeaderBytes());
        } catch (ReadDeadline.Expired e) {
            if (e.phase() == ReadDeadline.Phase.HEAD) refuse(out, in, deadline, 408, "request_timeout",
                    "the request head did not arrive within " + limits.headerReadTimeout().toSeconds() + " s");
            return false;
        } catch (RequestHead.Refused e) {
            refuse(out, in, deadline, e.status(), e.code(), e.getMessage());
            return false;
        }
        RequestBody body;
        try {
            body = body(head, in);
        } catch (RequestHead.Refused e) {
            refuse(out, in, deadline, e.status(), e.code(), e.getMessage());
            return false;
        }
        deadline.until(System.nanoTime() + limits.bodyReadTimeout().toNanos(), ReadDeadline.Phase.BODY);
        var exchange = new ConnectionExchange(head, body, out, (InetSocketAddress) socket.getLocalSocketAddress(),
                (InetSocketAddress) socket.getRemoteSocketAddress(), this::resetOnClose, then -> watchClose(deadline, in, then));
        body.onFirstRead(exchange::continueIfExpected);
        try {
            handler.handle(exchange);
        } catch (ReadDeadline.Expired e) {
            if (!exchange.responded()) refuse(out, in, deadline, 408, "request_timeout",
                    "the request body did not arrive within " + limits.bodyReadTimeout().toSeconds() + " s");
            return false;
        }
        out.flush();
        if (exchange.reusable()) return true;
        // a body the handler left unread (a refusal before reading it): skip a small rest to keep the connection
        return exchange.responseEnded() && body.drain(SKIP_BYTES) && exchange.reusable();
    }

    /**
     * Reads the connection on a thread of its own until the client closes it (or it breaks, or this side closes it),
     * then runs {@code then}. What the client still sends meanwhile is read and dropped, up to {@link #SKIP_BYTES}: a
     * client that keeps sending on a connection whose response never ends is taken as gone.
     */
    private static void watchClose(ReadDeadline deadline, InputStream in, Runnable then) {
        deadline.until(Long.MAX_VALUE, ReadDeadline.Phase.IDLE);
        Thread.ofVirtual().name("client-close-watch").start(() -> {
            byte[] dropped = new byte[512];
            long read = 0;
            try {
                int n;
                while ((n = in.read(dropped)) >= 0 && (read += n) <= SKIP_BYTES) {
                    // nothing is owed to what a client sends while it should only be reading
                }
            } catch (IOException e) {
                // a reset, or the socket closed on this side: the client is gone either way
            }
            then.run();
        });
    }

    /** A linger of zero: closing the socket sends a reset and discards what is still unsent. */
    private void resetOnClose() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot set the connection to reset: {0}", e.toString());
        }
    }

    /** The body its head announces; 413 when its {@code Content-Length} is above the cap, 400 for ambiguous framing. */
    private RequestBody body(RequestHead head, InputStream in) throws RequestHead.Refused {
        List<String> codings = head.tokens("Transfer-Encoding");
        List<String> lengths = head.headers().getOrDefault("Content-Length", List.of());
        if (!codings.isEmpty()) {
            // both framings at once is how requests are smuggled past proxies (RFC 9112 §6.3)
            if (!lengths.isEmpty()) throw new RequestHead.Refused(400, "bad_request", "both Transfer-Encoding and Content-Length");
            if (!codings.getLast().equals("chunked")) throw new RequestHead.Refused(501, "not_implemented", "unsupported Transfer-Encoding");
            return RequestBody.chunked(in);
        }
        if (lengths.isEmpty()) return RequestBody.none(in);
        long length;
        try {
            length = lengths.stream().map(String::strip).distinct().mapToLong(Long::parseLong).reduce((a, b) -> -1).orElseThrow();
        } catch (NumberFormatException e) {
            throw new RequestHead.Refused(400, "bad_request", "invalid Content-Length");
        }
        if (length < 0) throw new RequestHead.Refused(400, "bad_request", "invalid Content-Length");
        if (length > maxBodyBytes) {
            throw new RequestHead.Refused(413, "payload_too_large", "the request body is larger than " + maxBodyBytes + " bytes");
        }
        return RequestBody.ofLength(in, length);
    }

    /** Answers {@code {error:{code,message}}} and closes after a bounded read of what the client still sends. */
    private void refuse(OutputStream out, InputStream in, ReadDeadline deadline, int status, String code, String message) {
        try {
            byte[] json = WireJson.write(ErrorBody.of(code, message)).getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + ConnectionExchange.reason(status) + "\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                    + "Connection: close\r\nContent-Length: " + json.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(json);
            out.flush();
            socket.shutdownOutput();
            deadline.until(System.nanoTime() + LINGER_TIME.toNanos(), ReadDeadline.Phase.IDLE);
            byte[] sink = new byte[8192];
            long read = 0;
            int n;
            while (read < LINGER_BYTES && (n = in.read(sink)) >= 0) read += n;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "refusing a request: {0}", e.toString());
        }
    }
}
