package dev.lathe.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as its head frames it: none, {@code Content-Length} bytes, or {@code Transfer-Encoding: chunked}.
 * Reads end at the body's end (never in the next request of the connection); {@link #isComplete} says whether the
 * connection may carry another request. Time is bounded by the {@link ReadDeadline} under {@code in}.
 */
final class RequestBody extends InputStream {
    private enum Framing { NONE, LENGTH, CHUNKED }

    /** Longest chunk-size line or trailer field accepted (sizes are a few hex digits; extensions are ignored). */
    private static final int MAX_CHUNK_LINE = 4096;

    private final InputStream in;
    private final Framing framing;
    /** Bytes left: of the body ({@code LENGTH}) or of the current chunk ({@code CHUNKED}). */
    private long left;
    private boolean complete;
    private Runnable beforeFirstRead = () -> { };

    private RequestBody(InputStream in, Framing framing, long length) {
        this.in = in;
        this.framing = framing;
        this.left = length;
        this.complete = framing == Framing.NONE || framing == Framing.LENGTH && length == 0;
    }

    static RequestBody none(InputStream in) { return new RequestBody(in, Framing.NONE, 0); }

    static RequestBody ofLength(InputStream in, long length) { return new RequestBody(in, Framing.LENGTH, length); }

    static RequestBody chunked(InputStream in) { return new RequestBody(in, Framing.CHUNKED, 0); }

    /** {@code action} runs once, before the first byte is asked for (an interim {@code 100 Continue}). */
    void onFirstRead(Runnable action) { beforeFirstRead = action; }

    boolean isComplete() { return complete; }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (complete) return -1;
        if (beforeFirstRead != null) {
            Runnable once = beforeFirstRead;
            beforeFirstRead = null;
            once.run();
        }
        if (framing == Framing.CHUNKED && left == 0) {
            left = nextChunkSize();
            if (left == 0) {
                skipTrailers();
                complete = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) throw new EOFException("the connection closed in the middle of a request body");
        left -= n;
        if (left == 0 && framing == Framing.LENGTH) complete = true;
        if (left == 0 && framing == Framing.CHUNKED) expectLineEnd();
        return n;
    }

    /** Reads and discards what is left, at most {@code maxBytes}; true when the body then ended. */
    boolean drain(long maxBytes) throws IOException {
        byte[] sink = new byte[8192];
        long read = 0;
        while (!complete && read <= maxBytes) {
            int n = read(sink, 0, sink.length);
            if (n < 0) break;
            read += n;
        }
        return complete;
    }

    private long nextChunkSize() throws IOException {
        String line = line();
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15) throw new IOException("malformed chunk size");
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size");
        }
    }

    private void skipTrailers() throws IOException {
        for (int fields = 0; !line().isEmpty(); fields++) {
            if (fields > RequestHead.MAX_FIELDS) throw new IOException("too many trailer fields");
        }
    }

    private void expectLineEnd() throws IOException {
        if (!line().isEmpty()) throw new IOException("malformed chunk: data longer than its size");
    }

    private String line() throws IOException {
        var sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("the connection closed in the middle of a chunked body");
            if (c == '\n') break;
            if (sb.length() >= MAX_CHUNK_LINE) throw new IOException("chunk line too long");
            sb.append((char) c);
        }
        int end = sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r' ? sb.length() - 1 : sb.length();
        return sb.substring(0, end);
    }
}
