package dev.lathe.llm.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body held as the chunks it was written into, and posted from them. A model request is the whole history
 * at every step; written into a growing array, copied out of it and then copied again into the HTTP client's buffers,
 * its bytes were allocated three to four times over, a quarter of all a busy server allocated (issue 55). Here they are
 * written once, into chunks, and the transport writes those chunks to the connection as they are ({@link #writeTo}).
 *
 * <p>Immutable once {@linkplain Writer#body() made}; the chunks are never written again, so a retried or redirected
 * request posts them again.
 */
public final class RequestBody {
    /** A chunk is one write to the connection (the JDK client's own buffer size, {@code jdk.httpclient.bufsize}). */
    static final int CHUNK = 16 * 1024;

    private final List<byte[]> chunks;
    private final int lastLength;
    private final long length;

    private RequestBody(List<byte[]> chunks, int lastLength) {
        this.chunks = chunks;
        this.lastLength = lastLength;
        this.length = chunks.isEmpty() ? 0 : (long) (chunks.size() - 1) * CHUNK + lastLength;
    }

    /** A body of bytes already made (a protocol that signs its body, a test): posted from copies, as before. */
    public static RequestBody of(byte[] bytes) {
        var w = new Writer();
        w.write(bytes, 0, bytes.length);
        return w.body();
    }

    public long length() { return length; }

    /** The bytes in one array: for tests and for what must see the whole body at once. */
    public byte[] bytes() {
        byte[] all = new byte[Math.toIntExact(length)];
        for (int i = 0; i < chunks.size(); i++) System.arraycopy(chunks.get(i), 0, all, i * CHUNK, size(i));
        return all;
    }

    /** Writes the chunks as they are, with no copy ({@link BlockingHttp} sends the body's length before it). */
    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < chunks.size(); i++) out.write(chunks.get(i), 0, size(i));
    }

    private int size(int chunk) { return chunk == chunks.size() - 1 ? lastLength : CHUNK; }

    /** Where an encoder writes a body: full chunks are kept as they are, never grown or copied. */
    public static final class Writer extends OutputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] chunk = new byte[CHUNK];
        private int used;

        public Writer() {}

        /**
         * A writer whose first {@code length} bytes are {@code body}'s: the body's whole chunks among them are shared, not
         * copied (a body's chunks are never written again), and only the part of the chunk they end in is copied. A step
         * whose body begins as the previous step's did writes only what comes after (issue 55).
         */
        public Writer(RequestBody body, long length) {
            if (length < 0 || length > body.length) throw new IllegalArgumentException("a prefix of " + length + " of " + body.length + " bytes");
            int whole = (int) (length / CHUNK);
            chunks.addAll(body.chunks.subList(0, whole));
            used = (int) (length % CHUNK);
            if (used > 0) System.arraycopy(body.chunks.get(whole), 0, chunk, 0, used);
        }

        /** The bytes written so far. */
        public long length() { return (long) chunks.size() * CHUNK + used; }

        @Override
        public void write(int b) {
            if (used == CHUNK) nextChunk();
            chunk[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (used == CHUNK) nextChunk();
                int n = Math.min(len, CHUNK - used);
                System.arraycopy(b, off, chunk, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        private void nextChunk() {
            chunks.add(chunk);
            chunk = new byte[CHUNK];
            used = 0;
        }

        /** The body written (a chunk is only started by a byte to write, so the last one holds at least one). */
        public RequestBody body() {
            List<byte[]> all = new ArrayList<>(chunks);
            if (used > 0) all.add(chunk);
            return new RequestBody(List.copyOf(all), used);
        }
    }
}
