package dev.lathe.core.session.turn;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.tools.Questions;
import java.util.Optional;

/**
 * The hooks of one tool call's moments with the user: {@code PermissionRequest} before the permission gate asks
 * ({@code behavior: allow} runs the call once, {@code deny} refuses it with the hook's message), {@code PermissionDenied}
 * after a refusal ({@code retry: true} tells the model it may try again), and {@code Notification} when the user is
 * asked ({@code permission_prompt}) or a question waits for them ({@code elicitation_dialog}), fired without waiting.
 * A {@code continue: false} here stops the turn after the call, as a tool hook's does.
 */
final class CallHooks implements AskHooks {
    private final SessionHooks hooks;
    private final SessionHooks.Scope scope;
    /** The session whose turn runs the call (a subagent's own, while {@code scope} names its parent's). */
    private final String runningSession;
    private final String callId;

    CallHooks(SessionHooks hooks, SessionHooks.Scope scope, String runningSession, String callId) {
        this.hooks = hooks;
        this.scope = scope;
        this.runningSession = runningSession;
        this.callId = callId;
    }

    @Override
    public Answer permissionRequest(String tool, String argsJson) {
        if (tool.isEmpty()) return new Answer.Unanswered();
        HookOutcome outcome = hooks.fire(scope, new HookInput.PermissionRequest(tool, argsJson), Optional.of(callId));
        return switch (outcome.verdict()) {
            case HookOutcome.Verdict.Allow _ -> new Answer.Allowed();
            case HookOutcome.Verdict.Block b -> new Answer.Denied(b.reason());
            case HookOutcome.Verdict.Stop s -> {
                hooks.stops().request(runningSession, s.reason());
                yield new Answer.Denied(s.reason());
            }
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> new Answer.Unanswered();
        };
    }

    @Override
    public boolean denied(String tool, String argsJson, String reason) {
        if (tool.isEmpty()) return false;
        HookOutcome outcome = hooks.fire(scope, new HookInput.PermissionDenied(tool, argsJson, callId, reason), Optional.of(callId));
        if (outcome.verdict() instanceof HookOutcome.Verdict.Stop s) hooks.stops().request(runningSession, s.reason());
        return outcome.retry() == HookOutcome.Retry.RETRY;
    }

    @Override
    public void waiting(String message) {
        hooks.fireAndForget(scope, new HookInput.Notification(message, Optional.of("Permission needed"), "permission_prompt"));
    }

    /** {@code questions}, with {@code Notification} hooks told when a question waits for the user. */
    Questions notifying(Questions questions) {
        return asked -> {
            String first = asked.isEmpty() ? "" : asked.getFirst().question();
            hooks.fireAndForget(scope, new HookInput.Notification("Lathe has a question for you: " + first, Optional.of("Question"), "elicitation_dialog"));
            return questions.ask(asked);
        };
    }
}
