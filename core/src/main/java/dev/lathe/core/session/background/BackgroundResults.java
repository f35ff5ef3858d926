package dev.lathe.core.session.background;

import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.ToolState;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Hands a background subagent's end to its parent (DESIGN §18 "Background subagents"): one user-role message whose
 * text starts with {@code <task-result id=… status=…>}, marked as no one's typing ({@link TaskResult}), delivered
 * through the parent's inbox ({@link Arrival.ChildResult}): stored as a steered prompt is (no queued mark), then the
 * parent woken as for any prompt. A turn of the parent that runs reads it at its next step boundary
 * ({@link dev.lathe.core.session.inbox.InboxHistory#joining}); an idle parent's runner answers it as a new turn. No turn engine of its own.
 */
public final class BackgroundResults {
    private static final System.Logger LOG = System.getLogger(BackgroundResults.class.getName());
    /** What a child's result says when a daemon restart interrupted it. */
    static final String INTERRUPTED = "The task was interrupted: the Lathe server stopped before the agent finished. Its session keeps what it "
            + "did so far; start the task again (or continue it with its taskId) if it is still needed.";

    private final Journal journal;
    /** Where the result enters the parent, which is then queued for the node that may run it. */
    private final Inbox inbox;

    public BackgroundResults(Journal journal, Inbox inbox) {
        this.journal = journal;
        this.inbox = inbox;
    }

    /** Stores the result of {@code child}'s task in {@code parent} and wakes the parent; nothing when the parent is gone. */
    public void deliver(SessionId parent, SessionId child, BackgroundTasks.Status status, String answer) {
        try {
            inbox.deliver(new Arrival.ChildResult(parent, child, status.word(), answer));
        } catch (RuntimeException e) {
            // the parent deleted meanwhile, or the store away: the child's session keeps its answer
            LOG.log(System.Logger.Level.WARNING, "could not deliver the result of background task " + child + " to " + parent + ": " + e.getMessage());
        }
    }

    /**
     * After a daemon restart: each background child of the recent sessions that no longer runs anywhere and whose
     * result never reached its parent is reported to the parent as failed ({@link #INTERRUPTED}). {@code status} is a
     * session's status across the cluster.
     */
    public int reportInterrupted(List<Session> recent, Function<SessionId, SessionStatus> status) {
        int reported = 0;
        Set<SessionId> parents = new HashSet<>();
        for (Session s : recent) s.parentId().ifPresent(parents::add);
        for (SessionId parent : parents) {
            List<MessageWithParts> history = journal.messages().bySession(parent);
            for (SessionId child : undelivered(history)) {
                if (!(status.apply(child) instanceof SessionStatus.Idle)) continue;
                deliver(parent, child, BackgroundTasks.Status.FAILED, INTERRUPTED);
                reported++;
            }
        }
        return reported;
    }

    /** The children the parent's {@code task} calls started in the background and whose result it has not received. */
    static List<SessionId> undelivered(List<MessageWithParts> history) {
        Set<String> started = new java.util.LinkedHashSet<>();
        Set<String> delivered = new HashSet<>();
        for (MessageWithParts m : history) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Tool t && t.tool().equals("task") && t.state() instanceof ToolState.Completed c
                        && "true".equals(c.metadata().get("background")) && c.metadata().containsKey("sessionId")) {
                    started.add(c.metadata().get("sessionId"));
                }
                if (p instanceof Part.Text t && !t.synthetic() && TaskResult.marks(m.parts())) idOf(t.text()).ifPresent(delivered::add);
            }
        }
        started.removeAll(delivered);
        return started.stream().map(SessionId::new).toList();
    }

    /** The task id a result message's text starts with. */
    private static Optional<String> idOf(String text) {
        return TaskResult.read(text).map(TaskResult.Read::id);
    }
}
