package dev.lathe.core.session.turn;

import dev.lathe.tools.Teammates;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Session;
import java.time.Duration;

/**
 * What the session tests (in core.session, above this room) read or set of the turn's package-private members: test
 * seams kept on the test side, so the split into rooms widens nothing in main code for a test's sake.
 */
public final class TurnSeams {
    private TurnSeams() {}

    public static final int REPAIR_LIMIT = ModelResponder.REPAIR_LIMIT;
    public static final String CUT_CALL = StepStream.CUT_CALL;
    public static final String USER_SHELL_NOTE = UserShell.NOTE;
    public static final int MAX_TEAM_MESSAGE_CHARS = AgentTeams.MAX_MESSAGE_CHARS;

    public static Duration cancelGrace() { return AgentResponder.cancelGrace; }

    public static void cancelGrace(Duration grace) { AgentResponder.cancelGrace = grace; }

    public static Duration idleTimeout() { return AgentResponder.idleTimeout; }

    public static void idleTimeout(Duration timeout) { AgentResponder.idleTimeout = timeout; }

    public static void retime(IdleCaches caches, Duration ttl, Duration margin) { caches.retime(ttl, margin); }

    public static Teammates teammates(AgentTeams teams, Session session, MessageId message, Cancellation cancellation, boolean allowAll, ChildTurns children) {
        return teams.forCall(session, message, cancellation, allowAll, children);
    }
}
