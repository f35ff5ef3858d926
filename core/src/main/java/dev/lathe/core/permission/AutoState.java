package dev.lathe.core.permission;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What auto-approval remembers server-wide (DESIGN §31): the prompts that asked for it ({@code --auto}, the terminal
 * UI's mode, the web toggle) until their turn ends, and each session's denials — in a row and in all — after which its
 * asks go back to a person ({@link AutoApproval#DENIALS_IN_A_ROW}, {@link AutoApproval#DENIALS_PER_SESSION}).
 */
public final class AutoState {
    private final Set<MessageId> asking = ConcurrentHashMap.newKeySet();
    private final Map<SessionId, SessionId> askingSessions = new ConcurrentHashMap<>();
    private final Map<MessageId, SessionId> sessionOf = new ConcurrentHashMap<>();
    private final Map<SessionId, Denials> denials = new ConcurrentHashMap<>();

    /** A session's classifier denials: in a row (an allow resets it) and in all. */
    public record Denials(int inARow, int total) {
        static final Denials NONE = new Denials(0, 0);

        /** Whether the next ask goes to a person. */
        public boolean handBack() { return inARow >= AutoApproval.DENIALS_IN_A_ROW || total >= AutoApproval.DENIALS_PER_SESSION; }
    }

    /** The turn answering {@code prompt} of {@code session} (and the subagents it starts) has its asks judged by the classifier. */
    public void ask(SessionId session, MessageId prompt) {
        asking.add(prompt);
        sessionOf.put(prompt, session);
        askingSessions.put(session, session);
    }

    /** Whether a prompt of {@code session} not yet forgotten asked for auto-approval. */
    public boolean askedIn(SessionId session) { return askingSessions.containsKey(session); }

    /** The turn that answered {@code prompt} ended. */
    public void forget(MessageId prompt) {
        if (!asking.remove(prompt)) return;
        SessionId session = sessionOf.remove(prompt);
        if (session != null && !sessionOf.containsValue(session)) askingSessions.remove(session);
    }

    public Denials denials(SessionId session) { return denials.getOrDefault(session, Denials.NONE); }

    /** The classifier denied (or could not answer) a call of {@code session}. */
    public Denials denied(SessionId session) {
        return denials.merge(session, new Denials(1, 1), (a, b) -> new Denials(a.inARow() + 1, a.total() + 1));
    }

    /** The classifier allowed a call of {@code session}: the denials in a row start again. */
    public void allowed(SessionId session) { denials.computeIfPresent(session, (_, d) -> new Denials(0, d.total())); }

    /** A person answered the ask handed back: the denials in a row start again, so auto-approval resumes. */
    public void answeredByPerson(SessionId session) { allowed(session); }
}
