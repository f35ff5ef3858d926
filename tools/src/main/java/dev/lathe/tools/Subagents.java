package dev.lathe.tools;

import java.util.Optional;

/**
 * Port to subagents (implemented in core, which runs them as child sessions; DESIGN §11): the {@code task} tool lives
 * here and never imports the session loop. Blocks the calling virtual thread until the child's turn ends or the
 * caller's turn is cancelled.
 *
 * <p>Contract for {@link #run}: returns the child's session id and its final assistant text only; throws
 * {@link ToolFailure} for anything the model can act on (an unknown agent, a {@code taskId} that is not a child of
 * this session, a child that failed or was aborted), {@link PermissionRejected} when the user rejected one of the
 * child's permission asks, which stops the calling turn as a rejection in it would, and {@link LimitReached} when the
 * child stopped at a spend limit, which stops the calling turn at the limit too.
 */
@FunctionalInterface
public interface Subagents {
    /**
     * What the model asked for: {@code agent} is the subagent's name, {@code taskId} a child session to resume,
     * {@code model} ({@code provider/model}) one other than the agent's (a team member's).
     */
    record Request(String description, String prompt, String agent, Optional<String> taskId, Isolation isolation, Optional<String> model) {
        public Request(String description, String prompt, String agent, Optional<String> taskId, Isolation isolation) {
            this(description, prompt, agent, taskId, isolation, Optional.empty());
        }

        public Request(String description, String prompt, String agent, Optional<String> taskId) {
            this(description, prompt, agent, taskId, Isolation.NONE);
        }
    }

    /** Where a new child works: in its parent's folder, or in a git worktree of its own (DESIGN §19). */
    enum Isolation { NONE, WORKTREE }

    /**
     * The child's session id and its final text; {@code worktree} says, for a child that ran in its own worktree, its
     * branch and what it changed there; {@code branch} is that branch while the worktree is kept (its changes wait to
     * be merged), for a client to show beside the call as it shows a session's.
     */
    record Result(String sessionId, String agent, String text, Optional<String> worktree, Optional<String> branch) {
        public Result(String sessionId, String agent, String text) {
            this(sessionId, agent, text, Optional.empty(), Optional.empty());
        }
    }

    Result run(Request request);

    /**
     * A background task ({@code task} with {@code background: true}, DESIGN §18 "Background subagents"): the child is
     * made and started, and this returns at once; its result reaches the calling session as a message when it ends.
     * Throws {@link ToolFailure} as {@link #run} does for a request that cannot start, and when the session already runs
     * as many background tasks as {@code agents.maxBackground} allows.
     */
    default Started start(Request request) {
        throw new ToolFailure("Background tasks are not available here: run the task without background.");
    }

    /**
     * How a call that leaves {@code background} out runs {@code agent}: as its definition says (an agent file's
     * {@code background: true}); blocking for an agent that is not known (the call then fails with why).
     */
    default Launch launchOf(String agent) { return Launch.BLOCKING; }

    /** Whether the calling turn waits for the child, or the child runs in the background. */
    enum Launch { BLOCKING, BACKGROUND }

    /** The background tasks this session started (running and ended), oldest first. */
    default java.util.List<Task> tasks() { return java.util.List.of(); }

    /**
     * Cancels the running background task {@code id} (its child session is aborted); the task as it is after. Throws
     * {@link ToolFailure} when this session started no such task.
     */
    default Task cancel(String id) {
        throw new ToolFailure("No background task " + id + " was started by this session.");
    }

    /** A background task just started: its child session's id, which is the task's id, and its agent. */
    record Started(String sessionId, String agent) {}

    /**
     * One background task: {@code status} is {@code running}, {@code completed}, {@code failed} or {@code cancelled};
     * {@code endedAt} is set once it ended (millis).
     */
    record Task(String id, String agent, String description, String status, long startedAt, java.util.OptionalLong endedAt) {}

    /** No session behind the call (tests, internal calls), or a session that may not start subagents. */
    Subagents UNAVAILABLE = _ -> {
        throw new ToolFailure("The task tool is not available here: do the work yourself with the other tools.");
    };
}
