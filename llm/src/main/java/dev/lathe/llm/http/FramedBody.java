package dev.lathe.llm.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body as its head frames it (RFC 9112 §6.3): {@code Content-Length} bytes, {@code chunked}, or everything
 * until the server closes. Read to its end on a connection the server keeps, it hands the connection back
 * ({@link BlockingHttp.Exchange#finished}); closed before its end, it takes what is left if that is already here (the
 * last chunk behind a stream's final event), else closes the connection.
 */
final class FramedBody extends InputStream {
    private static final long UNTIL_CLOSE = -1;
    /** A size line is a few hex digits; extensions are allowed, but not unbounded ones. */
    private static final int MAX_SIZE_LINE = 4096;
    /** How long closing waits for the rest of a line it began to take from what had arrived. */
    private static final int DRAIN_MILLIS = 100;
    /** How much of a body left unread closing takes to keep its connection; past that the connection goes. */
    private static final int DRAIN_BYTES = 16 * 1024;

    private final HttpConnection in;
    private final BlockingHttp.Exchange exchange;
    private final boolean chunked;
    private final boolean keep;
    private long left;
    private boolean inChunk;
    private boolean done;
    private boolean closed;
    private final byte[] one = new byte[1];

    private FramedBody(HttpConnection in, BlockingHttp.Exchange exchange, boolean chunked, long length, boolean keep) {
        this.in = in;
        this.exchange = exchange;
        this.chunked = chunked;
        this.left = length;
        this.keep = keep && length != UNTIL_CLOSE;
    }

    /** The body {@code head} announces on {@code in}; an empty one is finished at once. */
    static FramedBody of(HttpHead head, HttpConnection in, BlockingHttp.Exchange exchange) throws IOException {
        String connection = head.header("connection");
        boolean keep = connection == null ? !head.http10() : !hasToken(connection, "close") && (!head.http10() || hasToken(connection, "keep-alive"));
        FramedBody body;
        if (head.status() == 204 || head.status() == 304) {
            body = new FramedBody(in, exchange, false, 0, keep);
        } else if (head.header("transfer-encoding") != null) {
            // only a last coding of "chunked" delimits the body; anything else runs until the connection closes
            String[] codings = head.header("transfer-encoding").split(",");
            boolean chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
            // a length beside the coding is a message framed two ways (RFC 9112 §6.3): read it by the coding, never keep it
            body = new FramedBody(in, exchange, chunked, chunked ? 0 : UNTIL_CLOSE, keep && head.header("content-length") == null);
        } else if (head.header("content-length") != null) {
            body = new FramedBody(in, exchange, false, length(head.header("content-length")), keep);
        } else {
            body = new FramedBody(in, exchange, false, UNTIL_CLOSE, keep);
        }
        if (!body.chunked && body.left == 0) body.end();
        return body;
    }

    @Override
    public int read() throws IOException { return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF; }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("the response body is closed");
        if (done) return -1;
        if (len == 0) return 0;
        if (chunked && left == 0 && !nextChunk()) return -1;
        int n = in.read(b, off, left == UNTIL_CLOSE ? len : (int) Math.min(len, left));
        if (n < 0) {
            if (left == UNTIL_CLOSE) {
                end();
                return -1;
            }
            throw new EOFException("the server closed the connection " + (chunked ? "inside a chunk of the body" : left + " bytes before the end of the body"));
        }
        if (left != UNTIL_CLOSE) left -= n;
        if (!chunked && left == 0) end();
        return n;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (done) return;
        try {
            // a stream that stopped at its final event: its body's end is often in the same packet
            byte[] skip = new byte[1024];
            long budget = DRAIN_BYTES;
            // bytes already here, or arriving at once: a server that stalls mid-line costs the connection, not the turn
            if (keep && in.readable()) in.readTimeout(DRAIN_MILLIS);
            while (!done && keep && budget > 0 && in.readable()) {
                if (chunked && left == 0) {
                    if (!nextChunk()) break;
                    continue;
                }
                int n = in.read(skip, 0, (int) Math.min(skip.length, left));
                if (n < 0) break;
                left -= n;
                budget -= n;
                if (!chunked && left == 0) end();
            }
        } catch (IOException e) {
            // not reusable: closed below
        }
        if (!done) exchange.discard();
    }

    /** Moves to the next chunk; false at the last one (its trailers read). */
    private boolean nextChunk() throws IOException {
        if (inChunk) {
            String end = in.readLine(0);
            if (!end.isEmpty()) throw new IOException("malformed chunked body: no line break after a chunk");
        }
        String line = in.readLine(MAX_SIZE_LINE);
        if (line == null) throw new IOException("malformed chunked body: chunk size line longer than " + MAX_SIZE_LINE + " bytes");
        int semicolon = line.indexOf(';');
        left = size((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), line);
        inChunk = true;
        if (left > 0) return true;
        int budget = HttpHead.MAX_BYTES;
        while (true) {
            String trailer = in.readLine(budget);
            if (trailer == null) throw new IOException("the body's trailer fields are larger than " + HttpHead.MAX_BYTES + " bytes");
            if (trailer.isEmpty()) break;
            budget -= trailer.length() + 2;
        }
        end();
        return false;
    }

    private void end() {
        done = true;
        if (keep) exchange.finished(in);
        else exchange.discard();
    }

    private static long size(String hex, String line) throws IOException {
        // 15 hex digits cannot overflow a long
        if (hex.isEmpty() || hex.length() > 15) throw new IOException("malformed chunk size: " + HttpHead.quoted(line));
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) throw new IOException("malformed chunk size: " + HttpHead.quoted(line));
            size = size * 16 + digit;
        }
        return size;
    }

    /** A {@code Content-Length}; a repeated field (joined with commas) must repeat the same number. */
    private static long length(String field) throws IOException {
        long length = -1;
        for (String part : field.split(",")) {
            String digits = part.strip();
            long value = -1;
            if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) value = Long.parseLong(digits);
            if (value < 0 || (length >= 0 && value != length)) throw new IOException("invalid Content-Length: " + HttpHead.quoted(field));
            length = value;
        }
        return length;
    }

    private static boolean hasToken(String field, String token) {
        for (String part : field.split(",")) if (part.strip().equalsIgnoreCase(token)) return true;
        return false;
    }
}
