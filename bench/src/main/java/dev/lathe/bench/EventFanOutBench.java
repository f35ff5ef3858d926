package dev.lathe.bench;

import dev.lathe.core.bus.EventBus;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link EventBus#publish} of text deltas to 10 subscribers (the standard ring and queue sizes), measured until every
 * subscriber's virtual thread has received the whole batch, so the score is delivered fan-out, not just enqueueing.
 * Score: events/s published (each delivered 10 times).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventFanOutBench {
    static final int SUBSCRIBERS = 10;
    static final int BATCH = 1_000;

    private EventBus bus;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private long expected;
    private Event delta;

    @Setup(Level.Trial)
    public void subscribe() {
        bus = EventBus.standard();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscriptions.add(bus.subscribe(EventFilter.ALL, 0, e -> delivered.incrementAndGet()));
        }
        delta = new Event.PartDelta(SessionId.next(), MessageId.next(), PartId.next(), "text", "some streamed words ");
    }

    @TearDown(Level.Trial)
    public void unsubscribe() throws Exception {
        for (AutoCloseable s : subscriptions) s.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishBatch() {
        Optional<String> directory = Optional.of("/work/project");
        for (int i = 0; i < BATCH; i++) bus.publish(directory, delta);
        expected += (long) BATCH * SUBSCRIBERS;
        while (delivered.get() < expected) {
            if (bus.subscriberCount() != SUBSCRIBERS) throw new IllegalStateException("a subscriber overflowed and was dropped");
            Thread.onSpinWait();
        }
        return expected;
    }
}
