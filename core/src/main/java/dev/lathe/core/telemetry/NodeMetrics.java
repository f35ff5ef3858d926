package dev.lathe.core.telemetry;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /metrics} answers (DESIGN §34 "Operate"): this node's turns and model steps, timed from the events it
 * appends ({@link MeteredEvents}: the node that appends a turn's events runs it), its tokens and errors, and from the
 * store the queue depth and the leases it holds. Only counts and durations: never a prompt, a path, a key or a user;
 * the one label, an error's kind, is bounded ({@link #KINDS}). A scrape reads the store (the queue) outside the lock
 * appends take.
 */
public final class NodeMetrics {
    private static final System.Logger LOG = System.getLogger(NodeMetrics.class.getName());
    /** Error kinds kept apart at most; later kinds count as {@code other}. */
    static final int KINDS = 32;

    /** What the store says of the node and its team, read at each scrape. */
    public interface Load {
        /** Sessions with a prompt waiting for a node, none holding them (the KEDA query's count). */
        long queueDepth();

        /** The session leases this node holds. */
        long leasesHeld();
    }

    private record Step(SessionId session, long startNanos) {}

    private final Load load;
    private final Map<SessionId, Long> turns = new HashMap<>();
    /** Steps begun and not finished, by message: dropped with their turn when it ends without their finish. */
    private final Map<MessageId, Step> steps = new HashMap<>();
    private final LatencyHistogram turnSeconds = new LatencyHistogram();
    private final LatencyHistogram stepSeconds = new LatencyHistogram();
    private final Map<String, Long> errors = new TreeMap<>();
    private long inputTokens;
    private long outputTokens;

    public NodeMetrics(Load load) {
        this.load = load;
    }

    /** One event this node appended, at {@code nanos} ({@link System#nanoTime}). Cheap: it runs on the turn's thread. */
    public synchronized void record(long nanos, Event event) {
        switch (event) {
            case Event.SessionStatusChanged s -> {
                switch (s.status()) {
                    case SessionStatus.Idle _ -> {
                        Long start = turns.remove(s.sessionId());
                        if (start != null) turnSeconds.observe((nanos - start) / 1e9);
                        steps.values().removeIf(step -> step.session().equals(s.sessionId()));
                    }
                    case SessionStatus.Queued _ -> { }
                    case SessionStatus.Busy _, SessionStatus.Waiting _, SessionStatus.Retry _ -> turns.putIfAbsent(s.sessionId(), nanos);
                }
            }
            case Event.SessionErrored e -> {
                String kind = errors.containsKey(e.error().kind()) || errors.size() < KINDS ? e.error().kind() : "other";
                errors.merge(kind, 1L, Long::sum);
            }
            case Event.PartUpdated p when p.part() instanceof Part.StepStart s -> steps.putIfAbsent(s.messageId(), new Step(s.sessionId(), nanos));
            case Event.PartUpdated p when p.part() instanceof Part.StepFinish f -> {
                // a step counts once: a finish seen again (an update of the same part) finds no start
                Step start = steps.remove(f.messageId());
                if (start == null) return;
                stepSeconds.observe((nanos - start.startNanos()) / 1e9);
                inputTokens += f.usage().input();
                outputTokens += f.usage().output();
            }
            default -> { }
        }
    }

    /** The node's metrics in Prometheus's text format 0.0.4. */
    public String scrape() {
        LatencyHistogram.Snapshot turn;
        LatencyHistogram.Snapshot step;
        long running;
        long input;
        long output;
        Map<String, Long> failed;
        synchronized (this) {
            turn = turnSeconds.snapshot();
            step = stepSeconds.snapshot();
            running = turns.size();
            input = inputTokens;
            output = outputTokens;
            failed = new TreeMap<>(errors);
        }
        var text = new PrometheusText();
        try {
            text.gauge("lathe_queue_depth", "Sessions with a prompt waiting for a node, no live node holding their lease", load.queueDepth());
            text.gauge("lathe_leases_held", "Session leases this node holds", load.leasesHeld());
        } catch (RuntimeException e) {
            // the store is away: the node's own numbers still answer, the store's are left out rather than made up
            LOG.log(System.Logger.Level.DEBUG, "metrics: the store's numbers are left out", e);
        }
        return text.gauge("lathe_turns_running", "Turns this node runs now, subagents' included", running)
                .histogram("lathe_turn_duration_seconds", "Duration of the turns this node ran", turn)
                .histogram("lathe_step_duration_seconds", "Duration of the model steps (requests) of the turns this node ran", step)
                .counter("lathe_input_tokens_total", "Input tokens of the model steps this node ran", input)
                .counter("lathe_output_tokens_total", "Output tokens of the model steps this node ran", output)
                .counter("lathe_errors_total", "Turns this node ran that ended in an error, by kind", "kind", failed)
                .toString();
    }
}
