package dev.lathe.core.telemetry;

import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.core.bus.SharedEvents;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.telemetry.otel.EventSink;
import dev.lathe.core.telemetry.otel.OtelExport;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster's events with this node's own appends handed to telemetry, as {@code NoticedEvents} hands them to the
 * notifier: the node that appended a turn's events ran that turn. On the appending thread (a turn's) an append costs a
 * volatile read and, while telemetry may be on, a non-blocking offer to a bounded queue: whether it is on is decided
 * ({@link TelemetrySwitch}) and the SDK started on the telemetry thread, which then turns the events into spans and
 * metrics; the SDK batches and sends them on threads of its own. A full queue drops events (said once in the log), never
 * waits. Off, the thread ends and appends cost the volatile read alone.
 */
public final class TracedEvents implements SharedEvents {
    private static final System.Logger LOG = System.getLogger(TracedEvents.class.getName());
    /** Events waiting for the telemetry thread: a burst beyond it is dropped, not queued without bound. */
    static final int CAPACITY = 8192;
    /** How long closing waits for the telemetry thread to turn what is queued into spans. */
    private static final long DRAIN_MILLIS = 1_000;

    private final SharedEvents events;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Thread worker;
    /** False once telemetry was decided off, or closed: appends no longer queue. */
    private volatile boolean listening = true;

    /** What the telemetry thread is handed: an event this node appended, or a permission decision. */
    private sealed interface Item {}

    private record Appended(long epochNanos, Event event) implements Item {}

    private record Counted(String permission, String decision, String by) implements Item {}

    /** The end of the queue: the worker stops at it. */
    private static final Appended END = new Appended(0, new Event.Resync());

    /**
     * @param decide whether telemetry is on (the user's config is read on the telemetry thread, never a turn's)
     * @param sessions a session by id, for its parent (a subagent's or a teammate's turn is a child of its parent's call)
     */
    public TracedEvents(SharedEvents events, Supplier<TelemetrySwitch.Choice> decide, Function<SessionId, Optional<Session>> sessions) {
        this.events = events;
        this.worker = Thread.ofPlatform().daemon().name("lathe-telemetry").start(() -> run(decide, sessions));
    }

    @Override public long start(Consumer<EventEnvelope> deliver) { return events.start(deliver); }

    @Override
    public EventEnvelope append(Optional<String> directory, Event event) {
        EventEnvelope appended = events.append(directory, event);
        if (listening && !(event instanceof Event.PartDelta)) offer(new Appended(nowNanos(), event));
        return appended;
    }

    /**
     * {@code next} (the audit log), and each permission decision and answer counted too: the rules' {@code allow},
     * {@code ask}, {@code deny}, and the answers {@code once}, {@code always}, {@code reject} with who gave them. Runs
     * on the call's thread: an offer, as an append.
     */
    public DecisionLog decisions(DecisionLog next) {
        return new DecisionLog() {
            @Override
            public void decided(DecisionLog.Decided decided) {
                next.decided(decided);
                if (listening) offer(new Counted(decided.permission(), decided.decision().action().name().toLowerCase(Locale.ROOT), "rule"));
            }

            @Override
            public void answered(Answered answered) {
                next.answered(answered);
                if (listening) offer(new Counted(answered.permission(), answered.reply(), answered.by().startsWith("user:") ? "client" : answered.by()));
            }

            @Override
            public void auto(Auto auto) {
                next.auto(auto);
                if (listening) offer(new Counted(auto.permission(), auto.judgement().decision(), "auto"));
            }

            @Override public void refused(Refused refused) { next.refused(refused); }

            @Override public ProjectStats.AutoApproval autoSpent(String directory) { return next.autoSpent(directory); }
        };
    }

    private void offer(Item item) {
        if (!queue.offer(item) && dropped.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "telemetry: more than " + CAPACITY + " events waiting; some are dropped, so some spans are missing");
        }
    }

    @Override public Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit) { return events.between(afterSeq, upTo, limit); }

    @Override public long newest() { return events.newest(); }

    /** Stops listening, turns what is queued into spans and sends them (each wait bounded). */
    public void close() {
        listening = false;
        // a full queue gives up what is waiting rather than the end: closing never waits for a backlog
        if (!queue.offer(END)) {
            queue.clear();
            queue.offer(END);
        }
        try {
            worker.join(DRAIN_MILLIS * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Supplier<TelemetrySwitch.Choice> decide, Function<SessionId, Optional<Session>> sessions) {
        EventSink sink;
        try {
            if (!(decide.get() instanceof TelemetrySwitch.Choice.On on)) {
                off();
                return;
            }
            sink = OtelExport.start(on.properties(), on.endpoint(), on.content(), sessions);
        } catch (RuntimeException | LinkageError e) {
            // a protocol the SDK cannot send (grpc needs a sender Lathe does not carry), a malformed OTEL_* value
            LOG.log(System.Logger.Level.WARNING, "telemetry: off: " + why(e));
            off();
            return;
        }
        try {
            while (true) {
                Item next = queue.take();
                if (next == END) break;
                try {
                    switch (next) {
                        case Appended a -> sink.accept(a.epochNanos(), a.event());
                        case Counted d -> sink.decided(d.permission(), d.decision(), d.by());
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "telemetry: " + next + " not recorded", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sink.close();
        }
    }

    /** Why the SDK could not start, in one line: the deepest cause, or what to do about a protocol Lathe cannot send. */
    static String why(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = String.valueOf(root.getMessage());
        if (message.contains("GrpcSenderProvider")) return "OTLP over grpc is not available in Lathe; use http/protobuf (OTEL_EXPORTER_OTLP_PROTOCOL)";
        return message.lines().findFirst().orElse(root.getClass().getSimpleName());
    }

    private void off() {
        listening = false;
        queue.clear();
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return ChronoUnit.NANOS.between(Instant.EPOCH, now);
    }
}
