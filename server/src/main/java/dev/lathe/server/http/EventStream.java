package dev.lathe.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code GET /events} connection. The API's listener encodes envelopes into a buffer bounded in bytes
 * ({@link ServerOptions.Limits#eventBufferBytes()}) and the request's own virtual thread writes them out. A full buffer
 * makes the listener wait, which the {@code EventListener} contract allows (it delays only this subscription), so a
 * large replay or a briefly slow reader costs nothing; when the buffer stays full for
 * {@link ServerOptions#stallTimeout()} the reader counts as gone and is dropped (its connection closed; it resumes
 * with {@code Last-Event-ID}).
 * {@link #drop} (also used when the server closes) interrupts the writer thread: a thread blocked writing to a
 * socket channel is released by closing the channel, so a stuck client never holds up anything else. A stalled
 * client's connection ends with a reset (a closing server ends the others gracefully): what it never read is
 * discarded by the kernel at once, not sent on for minutes to a reader that crawls through a closed window (a client
 * with a 4 KB receive buffer took 10 s per 100 KB).
 *
 * <p>A subscription that fell behind its bound in the bus loses its backlog to a {@code resync} marker (issue 52: a
 * slow reader of a long answer held ~190 MB). This stream then keeps nothing else: it empties its buffer, writes the
 * marker and ends the connection, so a reader that cannot keep up costs at most the two bounds. The client refetches
 * state on the marker and reconnects with {@code Last-Event-ID} set to the marker's {@code id}, getting every event
 * after it (replayed from the bus's ring, or a {@code resync} again when the ring no longer holds them). A resync that
 * comes first, before any other event of the subscription (a resume point the ring no longer holds), is an ordinary
 * frame: the subscription goes on after it.
 *
 * <p>{@code server.connected} and {@code server.heartbeat} are no events of the sequence: their frames have no
 * {@code id:} line and their {@code seq} is 0. An SSE client keeps the last id it saw when a frame has none (the HTML
 * rules), so its {@code Last-Event-ID} stays the last real event's; a frame that repeated that id would read, to a
 * client resuming after N, as event N sent again (issue 53).
 */
final class EventStream {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    private final Call call;
    private final FrameBuffer queue;
    private final long heartbeatMillis;
    private final long stallMillis;
    private final Thread writer = Thread.currentThread();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private volatile String dropReason = "";
    /** Whether the subscription has handed over an event yet (a resync after that means it fell behind). */
    private volatile boolean subscribed;
    /** The resync marker after which this stream ends; null until the subscription fell behind. */
    private volatile FrameBuffer.Frame lastFrame;
    /** When the write under way began ({@link System#nanoTime}), 0 when none is: a write blocked too long is a stall. */
    private volatile long writingSince;

    EventStream(Call call, ServerOptions options) {
        this.call = call;
        this.queue = new FrameBuffer(options.limits().eventBufferBytes());
        this.heartbeatMillis = options.heartbeat().toMillis();
        this.stallMillis = options.stallTimeout().toMillis();
    }

    /**
     * Subscribes, sends the response headers and writes frames until the client goes away or the stream is
     * dropped. Runs on the request thread; returns normally only when the client disconnected cleanly.
     *
     * @throws IOException when the connection broke or was dropped, so the HTTP server closes it
     */
    void run(LatheApi api, EventFilter filter, long afterSeq) throws IOException {
        queue.put(encoded(control(new Event.ServerConnected())));
        // Subscribe before the headers go out: when the client sees server.connected, it is already subscribed.
        AutoCloseable subscription = api.subscribe(filter, afterSeq, this::offer);
        try {
            HttpExchange exchange = call.exchange();
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "text/event-stream; charset=utf-8");
            headers.set("Cache-Control", "no-store");
            headers.set("X-Accel-Buffering", "no");
            call.markResponded();
            exchange.sendResponseHeaders(200, 0);
            // a client that closed its end stops following at once: a notice of the turn's end goes to a user who is away
            if (exchange instanceof ConnectionExchange connection) connection.whenClientCloses(() -> drop("the client closed the connection"));
            Thread watch = Thread.ofVirtual().name("events-stall-watch").start(this::watchWrites);
            try {
                writeLoop(exchange.getResponseBody());
            } finally {
                watch.interrupt();
            }
        } catch (InterruptedException e) {
            throw new IOException("event stream dropped: " + dropReason, e);
        } catch (IOException e) {
            if (dropped.get()) throw new IOException("event stream dropped: " + dropReason, e);
            throw e;
        } finally {
            Thread.interrupted();
            closeQuietly(subscription);
        }
    }

    /** Ends this stream from any thread without blocking; idempotent. What was written still reaches the client. */
    void drop(String reason) {
        drop(reason, false);
    }

    /** Ends the stream of a client that stopped reading, with a reset: what it never read is discarded. */
    private void dropStalled() {
        LOG.log(Level.INFO, "dropping an event stream whose client stopped reading for {0} ms", Long.toString(stallMillis));
        drop("the client stopped reading", true);
    }

    private void drop(String reason, boolean reset) {
        if (!dropped.compareAndSet(false, true)) return;
        dropReason = reason;
        if (reset && call.exchange() instanceof ConnectionExchange connection) connection.resetOnClose();
        writer.interrupt();
        queue.clear();  // releases a listener waiting for space
    }

    private void offer(EventEnvelope envelope) {
        if (dropped.get() || lastFrame != null) return;
        boolean behind = subscribed && envelope.event() instanceof Event.Resync;
        subscribed = true;
        if (behind) {
            LOG.log(Level.INFO, "ending an event stream whose reader fell behind: it gets a resync and resumes after it");
            FrameBuffer.Frame marker = encoded(envelope);
            lastFrame = marker;
            queue.clear();  // what was waiting is older than the marker, which tells the client to refetch it
            queue.put(marker);
            return;
        }
        try {
            if (!queue.offer(encoded(envelope), stallMillis) && !dropped.get()) dropStalled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop("the subscription was interrupted");
        }
    }

    /**
     * Drops the stream when one write stays blocked for the stall timeout: a reader that stopped once its socket buffers
     * were full, while no new event came to find the frame buffer full (the kernel's buffers can hold a whole burst).
     */
    private void watchWrites() {
        try {
            while (!dropped.get()) {
                Thread.sleep(Math.max(50, stallMillis / 4));
                long since = writingSince;
                if (since != 0 && System.nanoTime() - since > stallMillis * 1_000_000L && !dropped.get()) dropStalled();
            }
        } catch (InterruptedException e) {
            // the stream ended
        }
    }

    private void writeLoop(OutputStream out) throws IOException, InterruptedException {
        while (!dropped.get()) {
            FrameBuffer.Frame next = queue.poll(heartbeatMillis).orElse(null);
            if (next == null) {
                next = encoded(control(new Event.ServerHeartbeat()));
            }
            writingSince = System.nanoTime();
            out.write(next.bytes());
            // Coalesce what is already queued into one flush.
            java.util.Optional<FrameBuffer.Frame> more;
            while (next != lastFrame && !dropped.get() && (more = queue.pollNow()).isPresent()) {
                next = more.get();
                writingSince = System.nanoTime();
                out.write(next.bytes());
            }
            out.flush();
            writingSince = 0;
            if (next == lastFrame) {
                out.close();
                throw new IOException("the reader fell behind: it was sent a resync and resumes after it");
            }
        }
        throw new InterruptedException("dropped");
    }

    private static FrameBuffer.Frame encoded(EventEnvelope envelope) {
        return new FrameBuffer.Frame(envelope.seq(), frame(envelope));
    }

    /**
     * {@code id:} (an event of the sequence only, see the class comment), {@code event:}, then one {@code data:} line
     * per line of JSON (raw tool input may hold newlines).
     */
    static byte[] frame(EventEnvelope envelope) {
        var sb = new StringBuilder(256);
        if (envelope.seq() > 0) sb.append("id: ").append(envelope.seq()).append('\n');
        sb.append("event: ").append(EventTypes.of(envelope.event())).append('\n');
        String json = WireJson.writeEnvelope(envelope);
        // nearly every event is one line: the regex split only when there is a line break (5 % of the server's CPU
        // while 50 sessions streamed)
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) sb.append("data: ").append(json).append('\n');
        else for (String line : json.split("\r\n|\r|\n", -1)) sb.append("data: ").append(line).append('\n');
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A frame of the stream itself ({@code server.connected}, {@code server.heartbeat}): no place in the sequence. */
    private static EventEnvelope control(Event event) {
        return new EventEnvelope(0, System.currentTimeMillis(), Optional.empty(), event);
    }

    private static void closeQuietly(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing an event subscription failed", e);
        }
    }
}
