package dev.lathe.llm.http;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP/1.1 connection of {@link BlockingHttp}: a socket (plain, TLS, or TLS through a proxy's tunnel) whose
 * response bytes are read through one buffer, on the thread that asked for them. Closing it, from any thread, makes a
 * read or write blocked on it throw; that is how a cancelled stream is stopped.
 */
final class HttpConnection {
    /** The pool's key: scheme, host, port and the proxy it goes through. */
    final String origin;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private long received;
    private boolean reused;
    private long idleSince;
    private long headDeadline;

    HttpConnection(String origin, Socket socket) throws IOException {
        this.origin = origin;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /** The request's side; buffered, so a small request leaves in one write. */
    OutputStream output() { return out; }

    void flush() throws IOException { out.flush(); }

    /** Each read from now on waits at most {@code millis}; 0 waits as long as it takes. */
    void readTimeout(int millis) throws IOException {
        headDeadline = 0;
        socket.setSoTimeout(millis);
    }

    /** Reads from now on share one deadline ({@link System#nanoTime}), until {@link #readTimeout} is set again. */
    void readDeadline(long deadlineNanos) { headDeadline = deadlineNanos; }

    /**
     * The next line, without its LF or CRLF, bytes taken as ISO-8859-1 (as HTTP heads are); {@code null} when it is
     * longer than {@code max} bytes, which is read no further (a line that never ends costs at most {@code max}).
     *
     * @throws EOFException when the connection ends before the line does
     */
    String readLine(int max) throws IOException {
        var line = new StringBuilder();
        while (true) {
            if (pos == limit && !fill()) throw new EOFException("the server closed the connection in the middle of the response head");
            while (pos < limit) {
                byte b = buffer[pos++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
                    return line.toString();
                }
                if (line.length() > max) return null;  // one more than max is allowed for the CR
                line.append((char) (b & 0xFF));
            }
        }
    }

    /** Up to {@code len} bytes, blocking only while none are there; -1 at the end of the connection. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == limit && !fill()) return -1;
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Whether a read would find bytes without waiting for the network (buffered here or in the socket). */
    boolean readable() throws IOException { return pos < limit || in.available() > 0; }

    /** Whether bytes beyond what was read are already here (a kept connection must have none). */
    boolean hasBuffered() { return pos < limit; }

    /** Response bytes received on this connection so far, for its current exchange. */
    long received() { return received; }

    /** Whether this connection carried an exchange before the current one (a server may have closed it since). */
    boolean reused() { return reused; }

    /** Marks the start of a new exchange on a kept connection. */
    void reuse() {
        reused = true;
        received = 0;
    }

    void idleSince(long nanos) { idleSince = nanos; }

    long idleSince() { return idleSince; }

    boolean isClosed() { return closed.get(); }

    /** Closes the connection; idempotent and safe from any thread. */
    void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private boolean fill() throws IOException {
        if (headDeadline != 0) socket.setSoTimeout(BlockingHttp.millisLeft(headDeadline));
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) return false;
        received += n;
        pos = 0;
        limit = n;
        return true;
    }
}
