package dev.lathe.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input whose every read ends by a deadline the connection sets per phase (waiting for a request, its
 * head, its body). Each read waits at most the time left (the socket's read timeout is set to it), so a client
 * trickling one byte just before each timeout still runs out of time: the deadline is for the whole phase.
 */
final class ReadDeadline extends InputStream {
    /** What the connection was waiting for when time ran out; only {@code HEAD} and {@code BODY} earn a 408. */
    enum Phase { IDLE, HEAD, BODY }

    /** Time ran out in {@link #phase}. */
    static final class Expired extends SocketTimeoutException {
        private final Phase phase;

        Expired(Phase phase) {
            super("the client did not send its " + phase.name().toLowerCase(java.util.Locale.ROOT) + " in time");
            this.phase = phase;
        }

        Phase phase() { return phase; }
    }

    private final Socket socket;
    private final InputStream in;
    private long deadlineNanos = Long.MAX_VALUE;
    private Phase phase = Phase.IDLE;

    ReadDeadline(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** From now on reads must end by {@code nanoTime}, for {@code what}. */
    void until(long nanoTime, Phase what) {
        deadlineNanos = nanoTime;
        phase = what;
    }

    Phase phase() { return phase; }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) throw new Expired(phase);
        socket.setSoTimeout((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(left), 1, Integer.MAX_VALUE));
        try {
            return in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw new Expired(phase);
        }
    }

    @Override
    public int available() throws IOException { return in.available(); }
}
