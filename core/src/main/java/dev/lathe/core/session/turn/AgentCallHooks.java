package dev.lathe.core.session.turn;

import dev.lathe.core.acpagent.AgentToolCall;
import dev.lathe.core.acpagent.AgentToolStates;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.hooks.ToolCallHooks;
import dev.lathe.core.toolcall.PreCallHook;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tool hooks of an ACP agent's calls, with the payloads Claude Code's hooks read ({@code tool_name},
 * {@code tool_input}, {@code tool_response}) and the verdicts {@link ToolCallHooks} gives Lathe's own calls:
 * {@code PreToolUse} when the agent asks to run a call (the only moment Lathe can still refuse it), {@code PostToolUse}
 * once when the agent reports it completed, {@code PostToolUseFailure} once when it reports it failed. A
 * {@code continue: false} is left with the session's hook stops, which end the turn as they end a model's.
 *
 * <p>What the agent runs without asking Lathe is reported after the fact: its {@code PreToolUse} cannot stop it, so it
 * is not fired (the agent's own hooks govern those calls). An {@code updatedInput} is not applied: ACP has no way to
 * change the agent's call. Context a post hook adds has no way to the agent in the middle of its prompt either.
 */
final class AgentCallHooks {
    private final SessionHooks hooks;
    private final Supplier<SessionHooks.Scope> scope;
    /** The session whose turn runs the calls (where a {@code continue: false} is left). */
    private final String runningSession;
    private final Set<String> reported = new HashSet<>();

    AgentCallHooks(SessionHooks hooks, Supplier<SessionHooks.Scope> scope, String runningSession) {
        this.hooks = hooks;
        this.scope = scope;
        this.runningSession = runningSession;
    }

    /** {@code PreToolUse} for the call the agent asks to run: a block refuses it, an allow or ask goes to the permission gate. */
    PreCallHook.Decision before(AgentToolCall call) {
        String args = args(call);
        HookOutcome outcome = hooks.fire(scope.get(), new HookInput.PreToolUse(AgentToolStates.toolName(call), args, call.id()), Optional.of(call.id()));
        return ToolCallHooks.preToolUse(outcome, args, this::stop);
    }

    /** The call as it now stands: a first report of it completed or failed fires {@code PostToolUse} or {@code PostToolUseFailure}. */
    void reported(AgentToolCall call, String output) {
        String status = call.status().orElse("pending");
        if (!status.equals("completed") && !status.equals("failed") || !reported.add(call.id())) return;
        String tool = AgentToolStates.toolName(call);
        if (status.equals("completed")) {
            HookOutcome outcome = hooks.fire(scope.get(), new HookInput.PostToolUse(tool, args(call), output, call.id()), Optional.of(call.id()));
            ToolCallHooks.postToolUse(outcome, this::stop);
        } else {
            HookOutcome outcome = hooks.fire(scope.get(), new HookInput.PostToolUseFailure(tool, args(call), call.id(),
                    output.isBlank() ? "the agent reported the call as failed" : output, HookInput.Interrupt.FAILED), Optional.of(call.id()));
            if (outcome.verdict() instanceof HookOutcome.Verdict.Stop s) stop(s.reason());
        }
    }

    /** A call Lathe refused: the agent's later report of it is no result of a run, and fires nothing. */
    void refused(String callId) { reported.add(callId); }

    private void stop(String reason) { hooks.stops().request(runningSession, reason); }

    private static String args(AgentToolCall call) {
        return call.input().map(i -> i.json().json()).orElse("{}");
    }
}
