package dev.lathe.app;

import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything one server process announced to the loop's client, in order, plus what each session was doing at the
 * latest event: the phase a kill lands in. Permission asks are handed to {@code onAsk} (which decides whether the
 * ask is answered or left waiting).
 */
final class EventLog implements EventListener {
    /** Where a session stands; a kill is filed under every phase one of its sessions was in. */
    enum Phase {
        /** blocked on a permission ask nobody answered */
        PERMISSION_WAIT,
        /** a tool call running (bash sleeping, a file being written) */
        TOOL_RUNNING,
        /** the model's answer streaming: text deltas or tool arguments arriving */
        STREAMING,
        /** busy between those: context, snapshot, step bookkeeping */
        STEP_BOUNDARY,
        /** not running a turn */
        IDLE,
        /** the server itself starting up (recovery, listening), no client attached */
        STARTUP
    }

    private final List<EventEnvelope> events = new ArrayList<>();
    private final Map<SessionId, State> states = new HashMap<>();
    private final Consumer<PermissionRequest> onAsk;
    private java.util.function.Predicate<Event> trigger = _ -> false;
    private int untilTrigger;
    private Runnable onTrigger = () -> { };

    private static final class State {
        final Set<PermissionId> asks = new HashSet<>();
        final Set<PartId> running = new HashSet<>();
        final Set<PartId> pending = new HashSet<>();
        PartId streaming;
        boolean busy;

        Phase phase() {
            if (!asks.isEmpty()) return Phase.PERMISSION_WAIT;
            if (!running.isEmpty()) return Phase.TOOL_RUNNING;
            if (streaming != null || !pending.isEmpty()) return Phase.STREAMING;
            return busy ? Phase.STEP_BOUNDARY : Phase.IDLE;
        }
    }

    EventLog(Consumer<PermissionRequest> onAsk) {
        this.onAsk = onAsk;
    }

    @Override
    public void on(EventEnvelope envelope) {
        PermissionRequest ask = null;
        boolean fire;
        synchronized (this) {
            events.add(envelope);
            fire = untilTrigger > 0 && trigger.test(envelope.event()) && --untilTrigger == 0;
            switch (envelope.event()) {
                case Event.PermissionAsked a -> {
                    state(a.request().sessionId()).asks.add(a.request().id());
                    ask = a.request();
                }
                case Event.PermissionReplied r -> state(r.sessionId()).asks.remove(r.permissionId());
                case Event.SessionStatusChanged s -> state(s.sessionId()).busy = !(s.status() instanceof SessionStatus.Idle);
                case Event.PartDelta d -> state(d.sessionId()).streaming = d.partId();
                case Event.PartUpdated u -> {
                    State st = state(u.part().sessionId());
                    if (u.part().id().equals(st.streaming)) st.streaming = null;
                    if (u.part() instanceof Part.Tool t) {
                        st.running.remove(t.id());
                        st.pending.remove(t.id());
                        switch (t.state()) {
                            case ToolState.Pending _ -> st.pending.add(t.id());
                            case ToolState.Running _ -> st.running.add(t.id());
                            case ToolState.Completed _, ToolState.Failed _ -> { }
                        }
                    }
                    if (u.part() instanceof Part.StepFinish) st.streaming = null;
                }
                default -> { }
            }
        }
        // right here, on the thread that read the event: as close to its publication as a client gets
        if (fire) onTrigger.run();
        if (ask != null) onAsk.accept(ask);
    }

    /** Runs {@code action} on the event thread as soon as the {@code nth} event matching {@code which} arrives. */
    synchronized void onNth(java.util.function.Predicate<Event> which, int nth, Runnable action) {
        trigger = which;
        untilTrigger = nth;
        onTrigger = action;
    }

    /**
     * Whether {@code event} announces something finished, which the contract says is already stored: a tool call's
     * result, a step's end, streamed or typed text, a closed answer.
     */
    static boolean announcesCompletion(Event event) {
        return switch (event) {
            case Event.PartUpdated u -> switch (u.part()) {
                case Part.Tool t -> t.state() instanceof ToolState.Completed || t.state() instanceof ToolState.Failed;
                case Part.Text t -> !t.text().isEmpty();
                case Part.StepFinish _, Part.Patch _ -> true;
                default -> false;
            };
            case Event.MessageUpdated m -> m.info() instanceof dev.lathe.protocol.session.AssistantMessage a && a.completedAt().isPresent();
            case Event.PermissionReplied _ -> announcesAlways(event);
            default -> false;
        };
    }

    /** An "always" answer: from now on the project allows what was asked, across restarts. */
    static boolean announcesAlways(Event event) {
        return event instanceof Event.PermissionReplied r && r.reply() == dev.lathe.protocol.event.PermissionReply.ALWAYS;
    }

    private State state(SessionId id) { return states.computeIfAbsent(id, _ -> new State()); }

    /** The phases the given sessions are in now. */
    synchronized Set<Phase> phases(Set<SessionId> sessions) {
        Set<Phase> out = EnumSet.noneOf(Phase.class);
        for (SessionId id : sessions) out.add(states.containsKey(id) ? states.get(id).phase() : Phase.IDLE);
        return out;
    }

    synchronized List<EventEnvelope> events() { return List.copyOf(events); }
}
