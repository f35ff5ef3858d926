package dev.lathe.core.session.turn;

import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * The one cycle of the session wiring, named (issue 41): a turn's {@code task} call runs a child session's turn, and
 * turns run on the sessions' runners. {@link dev.lathe.core.session.runner.Runners} implements this port and hands it to each runner it makes (on
 * that runner's {@link TurnServices}), so {@link Subtasks} is built before the runners and given the port with each
 * call, from the turn that makes it: nothing is resolved later through a holder or a supplier.
 */
public interface ChildTurns {
    /**
     * Runs {@code turn} on the child session's own runner ({@link dev.lathe.core.session.runner.SessionTask.ChildTurn}) while nothing else runs there (so the child shows busy, then
     * idle, and can be aborted on its own); empty, nothing run, when the child is busy.
     */
    Optional<Turn.Ending> run(SessionId child, ChildTurn turn);

    /** One child turn, given the services every turn shares and the runner's cancel token. */
    @FunctionalInterface
    interface ChildTurn {
        Turn.Ending run(TurnServices services, Cancellation token) throws Exception;
    }

    /**
     * For services no runner made (a user's shell command, a command's expansion, a subagent's own turn): none of them
     * reaches a {@code task} call that starts a child, so asking this is a wiring error.
     */
    ChildTurns NONE = (child, turn) -> {
        throw new IllegalStateException("no session runners here to run subagent " + child + " on");
    };
}
