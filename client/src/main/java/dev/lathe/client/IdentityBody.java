package dev.lathe.client;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/** A body sent as is: {@code Content-Length} bytes, or everything until the server closes the connection. */
final class IdentityBody extends SocketBody {
    private static final long UNTIL_CLOSE = -1;
    private long left;

    private IdentityBody(SocketInput in, long length) {
        super(in);
        this.left = length;
    }

    static IdentityBody ofLength(SocketInput in, long length) { return new IdentityBody(in, length); }

    static IdentityBody untilClose(SocketInput in) { return new IdentityBody(in, UNTIL_CLOSE); }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (left == 0) return -1;
        if (len == 0) return 0;
        int n = in.read(b, off, left == UNTIL_CLOSE ? len : (int) Math.min(len, left));
        if (n < 0) {
            if (left != UNTIL_CLOSE) throw new EOFException("the server closed the connection " + left + " bytes before the end of the body");
            return -1;
        }
        if (left != UNTIL_CLOSE) left -= n;
        return n;
    }
}
