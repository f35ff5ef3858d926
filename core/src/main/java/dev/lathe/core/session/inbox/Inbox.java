package dev.lathe.core.session.inbox;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ProcessNote;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One inbox per session (decision 521): every {@link Arrival} enters a session through {@link #deliver}, which decides
 * how ({@link #entry}), stores it as the session's user-role message and queues the session for the node that may run
 * it: the one call of the cluster's {@link SessionLeases#queue}. It is also the one place a session's new user-role
 * message is made ({@link #message}), whoever writes it.
 */
public final class Inbox {
    private static final System.Logger LOG = System.getLogger(Inbox.class.getName());

    /** How an arrival enters its session, decided once ({@link #entry}). */
    public enum Entry {
        /** No turn runs: it starts one. */
        START,
        /** It joins the running turn at its next step boundary. */
        STEER,
        /** It waits behind the running turn, marked ({@link PromptQueued}), and runs after it as a turn of its own. */
        QUEUE,
        /** The running turn stops (as an abort), and it runs next. */
        INTERRUPT
    }

    private final SessionStore sessions;
    private final TeamStore teams;
    private final Journal journal;
    private final SessionLeases leases;
    /**
     * The door of prompts: it needs the session runners, which need the turns' services, which deliver here, so it is
     * attached once the composition root built it ({@link dev.lathe.core.session.SessionWiring}), before anything is delivered.
     */
    private volatile PromptDoor prompts;

    public Inbox(SessionStore sessions, TeamStore teams, Journal journal, SessionLeases leases) {
        this.sessions = sessions;
        this.teams = teams;
        this.journal = journal;
        this.leases = leases;
    }

    /** Attaches the door of prompts; once. */
    public void attach(PromptDoor door) {
        if (prompts != null) throw new IllegalStateException("the inbox's prompt door is attached once");
        prompts = door;
    }

    /**
     * How {@code arrival} enters a session that is {@code busy} (a turn runs, here or on another node, or its prompt
     * waits for a node) or not. Only a person's prompt chooses (its {@code delivery}, DESIGN §18 "Steering"; a
     * schedule's is a queued prompt); a child's result, a teammate's message and a hook's feedback join a running turn
     * at its next step boundary, and start one when none runs.
     */
    public static Entry entry(Arrival arrival, boolean busy) {
        if (!busy) return Entry.START;
        return switch (arrival) {
            case Arrival.Prompt p -> switch (p.request().deliveryOrQueue()) {
                case queue -> Entry.QUEUE;
                case steer -> Entry.STEER;
                case interrupt -> Entry.INTERRUPT;
            };
            case Arrival.ScheduleFiring _ -> Entry.QUEUE;
            case Arrival.ChildResult _, Arrival.TeammateMessage _, Arrival.HookFeedback _, Arrival.ProcessOutput _ -> Entry.STEER;
        };
    }

    /** A new user-role message of {@code session}, answered by {@code agent} with {@code model}; not stored yet. */
    public static UserMessage message(SessionId session, String agent, String model) {
        return new UserMessage(MessageId.next(), session, System.currentTimeMillis(), agent, model);
    }

    /**
     * Delivers {@code arrival}: stored as its session's user-role message (how {@link #entry} decides), then the
     * session queued for its node, whose runner answers it in the running turn or in a turn of its own. Empty when
     * nothing was stored: the session is gone, or a teammate's message was delivered already (by another node, or
     * before a restart).
     */
    public Optional<PromptAccepted> deliver(Arrival arrival) {
        return switch (arrival) {
            case Arrival.Prompt p -> Optional.of(door().accept(p, p.request()));
            case Arrival.ScheduleFiring f -> Optional.of(door().accept(f, f.request()));
            case Arrival.ChildResult r -> store(r, (session, message) -> List.of(
                    new Part.Text(PartId.next(), session, message, TaskResult.text(r.child().value(), r.status(), r.answer()), false),
                    new Part.Text(PartId.next(), session, message, TaskResult.TEXT, true)));
            case Arrival.TeammateMessage m -> store(m, (session, message) -> List.of(
                    new Part.Text(PartId.next(), session, message, AgentMessage.text(m.delivery().from(), m.delivery().text()), false),
                    new Part.Text(PartId.next(), session, message, AgentMessage.TEXT, true)));
            case Arrival.ProcessOutput o -> store(o, (session, message) -> List.of(
                    new Part.Text(PartId.next(), session, message, ProcessNote.text(o.id(), o.text()), false),
                    new Part.Text(PartId.next(), session, message, ProcessNote.TEXT, true)));
            case Arrival.HookFeedback f -> store(f, (session, message) -> List.of(
                    new Part.Text(PartId.next(), session, message, f.event() + " hook feedback:\n" + f.reason(), true)));
        };
    }

    /** Queues {@code session} (its message stored) for the node that may run it: this one at once in one process (DESIGN §20). */
    public void wake(SessionId session) {
        leases.queue(session);
    }

    /**
     * At a start, the prompts a stopping server left queued behind the turn it stopped (decision 415 keeps them
     * queued) are queued again, so each runs once as a turn of its own. Read once per start from the store (the
     * sessions holding the queued mark), each session's history then says whether its mark still waits: one a runner
     * already took up, or an abort marked not run, is left alone; so is a session that runs now (on any node), whose
     * runner takes the prompt up when its turn ends. Returns how many were queued.
     */
    public int resumeQueued(Function<SessionId, SessionStatus> status) {
        int queued = 0;
        for (SessionId id : journal.messages().sessionsWithText(PromptQueued.TEXT)) {
            try {
                if (InboxHistory.firstQueued(journal.messages().bySession(id)).isEmpty()) continue;
                if (!(status.apply(id) instanceof SessionStatus.Idle)) continue;
                wake(id);
                queued++;
            } catch (RuntimeException e) {
                // a session deleted meanwhile, or a node that cannot queue now: its prompt waits for the session's next prompt
                LOG.log(System.Logger.Level.WARNING, "could not resume the prompt queued in " + id + ": " + e.getMessage());
            }
        }
        return queued;
    }

    private PromptDoor door() {
        PromptDoor door = prompts;
        if (door == null) throw new IllegalStateException("a prompt was delivered before the inbox's prompt door was attached");
        return door;
    }

    /** How a person's or a schedule's prompt is taken: stored, its turn started, steered or queued ({@code PromptArrivals}). */
    public interface PromptDoor {
        PromptAccepted accept(Arrival arrival, PromptRequest request);
    }

    /** The parts of an arrival's message, made once its id is known. */
    private interface Parts {
        List<Part> of(SessionId session, MessageId message);
    }

    /**
     * Stores Lathe's message of {@code arrival} in its session, answered with the session's agent and model, and wakes
     * the session. A teammate's message is written with its delivery's mark in the same transaction, so each delivery
     * is made once whichever node makes it; one whose recipient is gone is discarded.
     */
    private Optional<PromptAccepted> store(Arrival arrival, Parts parts) {
        Optional<Session> found = sessions.find(arrival.session());
        if (found.isEmpty()) {
            if (arrival instanceof Arrival.TeammateMessage m) teams.discard(m.delivery());
            return Optional.empty();
        }
        Session session = found.get();
        Optional<MessageId> running = journal.writing(session.id());
        Entry entry = entry(arrival, running.isPresent());
        var message = message(session.id(), session.agent(), session.model());
        List<Part> written = parts.of(session.id(), message.id());
        // joining the running turn (steer) and starting one are one write: the runner reads it at its next step boundary
        if (arrival instanceof Arrival.TeammateMessage m) {
            if (!teams.deliver(m.delivery(), message, written)) return Optional.empty();
            journal.stored(session, message, written);
        } else {
            journal.of(session).user(message, written);
        }
        wake(session.id());
        return Optional.of(new PromptAccepted(message.id(), entry != Entry.START, running));
    }
}
