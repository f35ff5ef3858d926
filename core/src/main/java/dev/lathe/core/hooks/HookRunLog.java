package dev.lathe.core.hooks;

import java.util.List;
import java.util.Optional;

/**
 * Where the runs of one event's hooks go once they finished, so no hook run is silent: the running turn's parts (event,
 * handler, exit, duration, decision, shown in every client) and the project's audit log. Every place that fires hooks
 * hands its {@link HookOutcome#runs()} here, with the session they ran for and, for a tool event, the call.
 */
public interface HookRunLog {
    /** Records {@code runs} of session {@code sessionId}; {@code callId} names the tool call of a tool event. */
    void record(String sessionId, Optional<String> callId, List<HookRun> runs);

    /**
     * As above, the hooks having run in project {@code projectDir}: where their runs are audited when the session is
     * not stored (yet): a {@code WorktreeCreate} hook runs before its session is, a {@code WorktreeRemove} hook of
     * {@code lathe worktree remove} may have none.
     */
    default void record(String sessionId, java.nio.file.Path projectDir, Optional<String> callId, List<HookRun> runs) {
        record(sessionId, callId, runs);
    }

    /** Records nothing (tests that do not look at runs). */
    HookRunLog NONE = (sessionId, callId, runs) -> { };
}
