package dev.lathe.core.session;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.SessionStatus;
import java.util.function.Function;

/**
 * At a start, the prompts a stopping server left queued behind the turn it stopped (decision 415 keeps them queued)
 * are queued again for the sessions' runners, so each runs once as a turn of its own. Read once per start from the
 * store (the sessions holding the queued mark), each session's history then says whether its mark still waits: one a
 * runner already took up, or an abort marked not run, is left alone. A session that runs now (on any node) is left to
 * the runner that runs it, which takes the prompt up when its turn ends.
 */
final class QueuedAtStart {
    private static final System.Logger LOG = System.getLogger(QueuedAtStart.class.getName());

    private QueuedAtStart() {}

    /** Queues each session whose prompt still waits; returns how many were. */
    static int resume(Journal journal, SessionLeases leases, Function<SessionId, SessionStatus> status) {
        int queued = 0;
        for (SessionId id : journal.messages().sessionsWithText(PromptQueued.TEXT)) {
            try {
                if (QueuedPrompts.firstQueued(journal.messages().bySession(id)).isEmpty()) continue;
                if (!(status.apply(id) instanceof SessionStatus.Idle)) continue;
                leases.queue(id);
                queued++;
            } catch (RuntimeException e) {
                // a session deleted meanwhile, or a node that cannot queue now: its prompt waits for the session's next prompt
                LOG.log(System.Logger.Level.WARNING, "could not resume the prompt queued in " + id + ": " + e.getMessage());
            }
        }
        return queued;
    }
}
