package dev.lathe.client;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.wire.RecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * One {@code GET /events} subscription on its own virtual thread. It delivers envelopes in stream order and, when
 * the connection drops, reconnects with {@code Last-Event-ID} set to the last {@code id:} seen, waiting
 * {@value #MIN_BACKOFF_MILLIS} ms doubling up to {@value #MAX_BACKOFF_MILLIS} ms between attempts, until closed.
 * An error status after the first connection (say 401 after a server restart with a new token) ends it.
 *
 * <p>A reconnect without a resume point (no event with a positive {@code seq} seen yet) cannot replay what was
 * published while disconnected, so the listener then gets a {@code resync} right after {@code server.connected}.
 */
final class EventSubscription implements AutoCloseable {
    /** Asked for when something is logged, not on the way to a run's first request (issue 70; see ServerDiscovery). */
    private static System.Logger log() {
        return System.getLogger(EventSubscription.class.getName());
    }
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    private final HttpTransport transport;
    private final LongFunction<HttpTransport.Request> requestAfter;
    private final EventListener listener;
    private final Consumer<EventSubscription> onClose;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastSeq;
    private volatile InputStream current = InputStream.nullInputStream();
    private volatile RuntimeException firstFailure = new LatheClientException("not connected yet");
    private volatile boolean established;

    /** @param requestAfter builds the request for a given resume point ({@code Last-Event-ID}, 0 = none) */
    EventSubscription(HttpTransport transport, LongFunction<HttpTransport.Request> requestAfter, long afterSeq, EventListener listener,
            Consumer<EventSubscription> onClose) {
        this.transport = transport;
        this.requestAfter = requestAfter;
        this.lastSeq = afterSeq;
        this.listener = listener;
        this.onClose = onClose;
        // a platform thread: a virtual one blocked on the socket starts the JDK's I/O poller, whose thread then waits in
        // epoll_wait for good, and a JVM that exits while a thread sits in native code waits 300 ms for it (every
        // daemon-backed lathe run paid that at its end)
        this.thread = Thread.ofPlatform().daemon().name("lathe-events").unstarted(this::run);
    }

    /**
     * Starts reading and waits until the server confirmed the subscription ({@code server.connected}), so events
     * published after this returns are never missed.
     *
     * @throws LatheException       when the server refused the subscription
     * @throws LatheClientException when it could not be reached or did not answer within {@code timeout}
     */
    void start(Duration timeout) {
        thread.start();
        boolean ok;
        try {
            ok = connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LatheClientException("interrupted while subscribing to events", e);
        }
        if (!ok) {
            close();
            throw new LatheClientException("the server did not open the event stream within " + timeout.toMillis() + " ms");
        }
        if (!established) {
            close();
            throw firstFailure;
        }
    }

    long lastSeq() { return lastSeq; }

    /** Stops reading; after it returns (from another thread) the listener is not called again. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeQuietly(current);
        thread.interrupt();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.accept(this);
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        HttpTransport.Request request = requestAfter.apply(lastSeq);
        while (!closed) {
            try {
                request = requestAfter.apply(lastSeq);
                HttpTransport.Response response = transport.send(request);
                current = response.body();
                if (closed) break;
                if (response.status() != 200) {
                    String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    LatheException error = ErrorAnswers.of(response.status(), body);
                    if (!established) {
                        fail(error);
                        return;
                    }
                    if (response.status() < 500) {
                        log().log(Level.WARNING, "event stream refused, giving up: " + error.getMessage());
                        return;
                    }
                } else {
                    backoff = MIN_BACKOFF_MILLIS;
                    read(response.body(), established && lastSeq == 0);
                }
            } catch (IOException e) {
                if (closed) break;
                if (!established) {
                    fail(new LatheClientException(ApiRequests.unreachable(request.uri(), e), e));
                    return;
                }
                log().log(Level.DEBUG, "event stream broke, reconnecting after event " + lastSeq + ": " + e);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!established) {
                    fail(e);
                    return;
                }
                log().log(Level.WARNING, "event stream failed, reconnecting", e);
            } finally {
                closeQuietly(current);
            }
            if (closed) break;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void read(InputStream body, boolean gapUnknown) throws IOException {
        try (var sse = new SseReader(body)) {
            while (!closed) {
                var frame = sse.next();
                if (frame.isEmpty()) return;
                frame.get().id().ifPresent(this::advance);
                EventEnvelope envelope;
                try {
                    // the first event of every stream by StartJson, the others by RecordJson: a client never loads the
                    // data-binding mapper for its events (decision 540)
                    envelope = frame.get().event().equals(StartJson.CONNECTED) ? StartJson.connected(frame.get().data())
                            : RecordJson.envelope(frame.get().data());
                } catch (IllegalArgumentException e) {
                    // A newer server may send event types this client does not know yet.
                    log().log(Level.DEBUG, "skipping event '" + frame.get().event() + "': " + e.getMessage());
                    continue;
                }
                if (closed) return;
                // the subscriber goes on once the server confirmed, not once the listener handled the confirmation: a
                // listener's first event may be slow (a `--format json` run writes its first line, issue 86), and the
                // waiting thread sends the prompt. The listener still gets server.connected before any later event.
                boolean confirms = envelope.event() instanceof Event.ServerConnected && !established;
                if (confirms) {
                    established = true;
                    connected.countDown();
                }
                deliver(envelope);
                if (envelope.event() instanceof Event.ServerConnected && gapUnknown) {
                    deliver(new EventEnvelope(0, System.currentTimeMillis(), Optional.empty(), new Event.Resync()));
                }
            }
        }
    }

    private void deliver(EventEnvelope envelope) {
        try {
            listener.on(envelope);
        } catch (RuntimeException e) {
            log().log(Level.WARNING, "event listener failed on event " + envelope.seq(), e);
        }
    }

    private void advance(String id) {
        try {
            lastSeq = Math.max(lastSeq, Long.parseLong(id.strip()));
        } catch (NumberFormatException e) {
            log().log(Level.DEBUG, "ignoring non-numeric event id '" + id + "'");
        }
    }

    private void fail(RuntimeException failure) {
        firstFailure = failure;
        connected.countDown();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the connection is going away anyway
        }
    }
}
