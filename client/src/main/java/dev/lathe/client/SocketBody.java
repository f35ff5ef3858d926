package dev.lathe.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read off a {@link SocketTransport} connection, framed one of the ways HTTP/1.1 frames a body.
 * Closing it closes the connection (there is one per exchange), so it may be closed early, from any thread.
 */
abstract sealed class SocketBody extends InputStream permits ChunkedBody, IdentityBody {
    final SocketInput in;

    SocketBody(SocketInput in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public void close() {
        in.close();
    }
}
