package dev.lathe.client;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/**
 * A body in {@code Transfer-Encoding: chunked}: chunks of {@code hex-size[;extensions] CRLF data CRLF}, ended by a
 * chunk of size 0 and optional trailer fields. Extensions and trailers are read and dropped.
 */
final class ChunkedBody extends SocketBody {
    /** A size line is a few hex digits; extensions are allowed, but not unbounded ones. */
    private static final int MAX_SIZE_LINE = 4096;
    private long left;
    private boolean inChunk;
    private boolean done;

    ChunkedBody(SocketInput in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (done) return -1;
        if (len == 0) return 0;
        if (left == 0 && !nextChunk()) return -1;
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) throw new EOFException("the server closed the connection inside a chunk of the body");
        left -= n;
        return n;
    }

    /** Moves to the next chunk; false at the last one (its trailers read). */
    private boolean nextChunk() throws IOException {
        if (inChunk) {
            String end = in.readLine(0);
            if (end == null || !end.isEmpty()) throw new IOException("malformed chunked body: no line break after a chunk");
        }
        String line = in.readLine(MAX_SIZE_LINE);
        if (line == null) throw new IOException("malformed chunked body: chunk size line longer than " + MAX_SIZE_LINE + " bytes");
        int semicolon = line.indexOf(';');
        left = size((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), line);
        inChunk = true;
        if (left > 0) return true;
        skipTrailers();
        done = true;
        return false;
    }

    private static long size(String hex, String line) throws IOException {
        // 15 hex digits cannot overflow a long
        if (hex.isEmpty() || hex.length() > 15) throw new IOException("malformed chunk size: " + ResponseHead.quoted(line));
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) throw new IOException("malformed chunk size: " + ResponseHead.quoted(line));
            size = size * 16 + digit;
        }
        return size;
    }

    private void skipTrailers() throws IOException {
        int budget = ResponseHead.MAX_BYTES;
        while (true) {
            String line = in.readLine(budget);
            if (line == null) throw new IOException("the body's trailer fields are larger than " + ResponseHead.MAX_BYTES + " bytes");
            if (line.isEmpty()) return;
            budget -= line.length() + 2;
        }
    }
}
