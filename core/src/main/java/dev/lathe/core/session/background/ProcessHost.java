package dev.lathe.core.session.background;

import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.BackgroundCommands;
import java.util.Optional;

/**
 * The server side of the background commands (DESIGN §32): a session's limits from its project's config as it is now
 * ({@code processes}, which only the user's own files set), whether a client follows the session (the limit with a
 * client or unattended), what the model is told (a monitor's lines, the end, the limit: through the session's
 * {@link Inbox} as any delivery, marked {@link dev.lathe.protocol.session.ProcessNote}), and the clients' events
 * ({@code process.started|output|exited}) through the session's journal.
 */
public final class ProcessHost implements BackgroundCommands.Host {
    private static final System.Logger LOG = System.getLogger(ProcessHost.class.getName());

    /** A session's background command limits, read from its project's config now. */
    public interface LimitsOf {
        BackgroundCommands.Limits of(Session session);
    }

    private final SessionStore store;
    private final Journal journal;
    private final Inbox inbox;
    private final LimitsOf limits;

    public ProcessHost(SessionStore store, Journal journal, Inbox inbox, LimitsOf limits) {
        this.store = store;
        this.journal = journal;
        this.inbox = inbox;
        this.limits = limits;
    }

    @Override
    public BackgroundCommands.Limits limits(String sessionId) {
        return session(sessionId).map(limits::of).orElse(BackgroundCommands.Limits.DEFAULT);
    }

    @Override
    public boolean followed(String sessionId) {
        return session(sessionId).map(journal::followed).orElse(false);
    }

    @Override
    public void tell(String sessionId, String id, String text) {
        try {
            inbox.deliver(new Arrival.ProcessOutput(new SessionId(sessionId), id, text));
        } catch (RuntimeException e) {
            // the session deleted meanwhile, or the store away: the output stays readable with bash_output
            LOG.log(System.Logger.Level.WARNING, "could not deliver the output of " + id + " to " + sessionId + ": " + e.getMessage());
        }
    }

    @Override
    public void changed(BackgroundCommands.Change change) {
        SessionId id = new SessionId(change.command().sessionId());
        Event event = switch (change) {
            case BackgroundCommands.Change.Started s -> new Event.ProcessStarted(id, SessionProcesses.info(s.command()));
            case BackgroundCommands.Change.Printed p -> new Event.ProcessOutput(id, p.command().id(), p.text());
            case BackgroundCommands.Change.Exited e -> new Event.ProcessExited(id, SessionProcesses.info(e.command()));
        };
        session(id.value()).ifPresent(s -> journal.of(s).publish(event));
    }

    private Optional<Session> session(String id) {
        try {
            return store.find(new SessionId(id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
