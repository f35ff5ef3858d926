package dev.lathe.protocol.event;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.util.Optional;

/**
 * Which subagent asks (DESIGN §22 "asks of a child reach the parent's user"): a permission ask or question of a child
 * session carries its parent's id, its agent and its title (the task's description), so a client watching the parent
 * says "child NAME asks" rather than only that some subagent does. The child's own id is the request's
 * {@code sessionId}. The title is the model's words: clients print it through their terminal-text guard.
 */
public record AskingChild(SessionId parentId, String agent, String title) {
    /** {@code session} as an asking child; empty for a top-level session. */
    public static Optional<AskingChild> of(Session session) {
        return session.parentId().map(parent -> new AskingChild(parent, session.agent(), session.title()));
    }
}
