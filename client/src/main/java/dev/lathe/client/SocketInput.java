package dev.lathe.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;

/**
 * The reading side of one {@link SocketTransport} connection: one buffer that the response head and then its body
 * are read through, and the timeout each phase reads under. Closing it, from any thread, closes the socket, which
 * makes a read blocked on it throw (a virtual thread blocked on it is also woken by an interrupt: the JDK closes
 * the socket then).
 */
final class SocketInput {
    private final Socket socket;
    private final InputStream in;
    private final Set<SocketInput> open;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private long headDeadline;
    private boolean awaitingHead;
    private int readTimeoutMillis;
    private long timeoutMillis;

    /** @param open the transport's open connections, which this one is in until closed */
    SocketInput(Socket socket, Set<SocketInput> open) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.open = open;
        open.add(this);
    }

    /** Reads from now on share one deadline: the whole head must be in by {@code deadlineNanos} ({@link System#nanoTime}). */
    void awaitHead(long deadlineNanos, Duration timeout) {
        headDeadline = deadlineNanos;
        timeoutMillis = timeout.toMillis();
        awaitingHead = true;
    }

    /** Reads from now on each wait at most {@code perRead}; {@link Duration#ZERO} waits as long as it takes. */
    void awaitBody(Duration perRead) {
        awaitingHead = false;
        timeoutMillis = perRead.toMillis();
        readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
    }

    /**
     * The next line, without its LF or CRLF, bytes taken as ISO-8859-1 (as HTTP heads are); {@code null} when it is
     * longer than {@code max} bytes.
     *
     * @throws EOFException when the connection ends before the line does
     */
    String readLine(int max) throws IOException {
        var line = new StringBuilder();
        while (true) {
            if (pos == limit && !fill()) throw new EOFException("the server closed the connection in the middle of the response");
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

    /** Closes the connection; idempotent and safe from any thread. */
    void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        } finally {
            open.remove(this);
        }
    }

    private boolean fill() throws IOException {
        if (awaitingHead) {
            long left = Math.ceilDiv(headDeadline - System.nanoTime(), 1_000_000L);
            if (left <= 0) throw timedOut("waiting for the response", null);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        } else {
            socket.setSoTimeout(readTimeoutMillis);
        }
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            throw timedOut(awaitingHead ? "waiting for the response" : "waiting for the response body", e);
        }
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    private SocketTimeoutException timedOut(String what, Throwable cause) {
        var e = new SocketTimeoutException("timed out after " + timeoutMillis + " ms " + what);
        if (cause != null) e.initCause(cause);
        return e;
    }
}
