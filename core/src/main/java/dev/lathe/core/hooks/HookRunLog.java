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

    /** Records nothing (tests that do not look at runs). */
    HookRunLog NONE = (sessionId, callId, runs) -> { };
}
