package dev.lathe.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response's body as its headers announced it: none, exactly {@code Content-Length} bytes, or chunks (streams such
 * as {@code /events}, one chunk per write). {@link #close} ends the body (the last chunk) and flushes, but keeps the
 * connection open for the next request; {@link #isComplete} says whether the body was whole.
 */
final class ResponseBody extends OutputStream {
    private enum Framing { NONE, DISCARD, LENGTH, CHUNKED }

    private final OutputStream out;
    private final Framing framing;
    private long left;
    private boolean closed;

    private ResponseBody(OutputStream out, Framing framing, long length) {
        this.out = out;
        this.framing = framing;
        this.left = length;
    }

    static ResponseBody none(OutputStream out) { return new ResponseBody(out, Framing.NONE, 0); }

    /** The answer to a {@code HEAD}: what the route writes (the body a {@code GET} would get) is dropped. */
    static ResponseBody discarding(OutputStream out) { return new ResponseBody(out, Framing.DISCARD, 0); }

    static ResponseBody ofLength(OutputStream out, long length) { return new ResponseBody(out, Framing.LENGTH, length); }

    static ResponseBody chunked(OutputStream out) { return new ResponseBody(out, Framing.CHUNKED, 0); }

    boolean isComplete() { return closed && (framing != Framing.LENGTH || left == 0); }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("the response body is closed");
        if (len == 0) return;
        switch (framing) {
            case NONE -> throw new IOException("this response has no body");
            case DISCARD -> { }
            case LENGTH -> {
                if (len > left) throw new IOException("more bytes than the announced Content-Length");
                out.write(b, off, len);
                left -= len;
            }
            case CHUNKED -> {
                out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b, off, len);
                out.write(CRLF);
            }
        }
    }

    @Override
    public void flush() throws IOException { out.flush(); }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (framing == Framing.CHUNKED) out.write(LAST_CHUNK);
        out.flush();
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
}
