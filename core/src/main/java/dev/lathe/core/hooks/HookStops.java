package dev.lathe.core.hooks;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code continue: false} a hook answered while a turn ran, until the turn looks at it: a tool event's hooks run
 * inside the tool-call pipeline, which can only end its own call, so the stop is left here for the turn, which ends
 * after the step's calls (Claude Code stops "after the current call" too).
 */
public final class HookStops {
    private final Map<String, String> pending = new ConcurrentHashMap<>();

    /** Session {@code sessionId}'s turn should stop; {@code reason} (the hook's {@code stopReason}) is shown to the user. */
    public void request(String sessionId, String reason) {
        pending.merge(sessionId, reason, (a, b) -> a.isBlank() ? b : b.isBlank() ? a : a + "\n" + b);
    }

    /** The stop asked for session {@code sessionId} since the last call, and forgets it. */
    public Optional<String> take(String sessionId) {
        return Optional.ofNullable(pending.remove(sessionId));
    }
}
