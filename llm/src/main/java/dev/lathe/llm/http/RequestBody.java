package dev.lathe.llm.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body held as the chunks it was written into, and posted from them. A model request is the whole history
 * at every step; written into a growing array, copied out of it and then copied again into the HTTP client's buffers,
 * its bytes were allocated three to four times over, a quarter of all a busy server allocated (issue 55). Here they are
 * written once, into chunks of the size the HTTP client sends, and the client is handed those chunks as they are.
 *
 * <p>Immutable once {@linkplain Writer#body() made}; the chunks are never written again, so a retried or redirected
 * request posts them again.
 */
public final class RequestBody {
    /** The HTTP client's own buffer size ({@code jdk.httpclient.bufsize}): a chunk is one write to the connection. */
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

    /** Posts the chunks themselves, with the body's length (so the request carries a {@code Content-Length}, not chunks). */
    public HttpRequest.BodyPublisher publisher() {
        if (length == 0) return HttpRequest.BodyPublishers.noBody();
        return HttpRequest.BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new Chunks(subscriber)), length);
    }

    /** Writes the chunks as they are, for a transport that writes the request itself ({@link BlockingHttp}). */
    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < chunks.size(); i++) out.write(chunks.get(i), 0, size(i));
    }

    private int size(int chunk) { return chunk == chunks.size() - 1 ? lastLength : CHUNK; }

    /**
     * One subscription: the chunks in order, as many as asked for, then completion. Safe against a subscriber that asks
     * for more from within {@code onNext} (the loop below runs once at a time) and against requests from other threads.
     */
    private final class Chunks implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private volatile boolean stopped;
        private int next;

        Chunks(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                stopped = true;
                subscriber.onError(new IllegalArgumentException("a request of " + n + " chunks"));
                return;
            }
            demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
            if (draining.getAndIncrement() != 0) return;
            do {
                while (!stopped && next < chunks.size() && demand.get() > 0) {
                    demand.decrementAndGet();
                    int i = next++;
                    subscriber.onNext(ByteBuffer.wrap(chunks.get(i), 0, size(i)));
                }
                if (!stopped && next == chunks.size()) {
                    stopped = true;
                    subscriber.onComplete();
                }
            } while (draining.decrementAndGet() != 0);
        }

        @Override
        public void cancel() { stopped = true; }
    }

    /** Where an encoder writes a body: full chunks are kept as they are, never grown or copied. */
    public static final class Writer extends OutputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] chunk = new byte[CHUNK];
        private int used;

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
