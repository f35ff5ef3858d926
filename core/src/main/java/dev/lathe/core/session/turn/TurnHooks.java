package dev.lathe.core.session.turn;

import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.NestedInstructions;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hooks of a turn's own events, as Claude Code fires them, and what their outcomes do to the turn:
 * {@code SessionStart} and {@code UserPromptSubmit} before the model sees a prompt (their context joins the prompt as a
 * synthetic part; a block or {@code continue: false} takes the prompt back), and {@code Stop} ({@code SubagentStop} in a
 * subagent's session) when the model answered without asking for tools.
 */
public final class TurnHooks {
    private final SessionHooks hooks;
    private final Journal journal;
    private final Session session;
    /** Block B's instruction files of the session's project. */
    private final java.util.function.Supplier<List<TurnServices.InstructionFile>> instructions;

    TurnHooks(SessionHooks hooks, Journal journal, Session session, java.util.function.Supplier<List<TurnServices.InstructionFile>> instructions) {
        this.instructions = instructions;
        this.hooks = hooks;
        this.journal = journal;
        this.session = session;
    }

    /** Where {@code session}'s events happen, with {@code project}'s hooks as its configuration has them now. */
    public static SessionHooks.Scope scope(Session session, Project project, Set<String> secrets, boolean allowAll) {
        // Lathe's permission modes: a prompt sent with allowAll answers every ask (Claude Code's bypassPermissions);
        // the plan agent only plans (Claude Code's plan mode); otherwise the rules apply (default)
        String mode = allowAll ? "bypassPermissions" : session.agent().equals("plan") ? "plan" : "default";
        // a subagent's events are its parent session's, as in Claude Code (agent_id names the subagent)
        String id = session.parentId().map(SessionId::value).orElse(session.id().value());
        return new SessionHooks.Scope(id, project.directory(), project.config().hooks(), project.config().mcp().keySet(), secrets,
                mode, project.hookRules());
    }

    /**
     * Before the model sees {@code prompt}: {@code SessionStart} when this is the session's first prompt since the
     * server started ({@code startup} for a new session, {@code resume} for one with earlier answers), then
     * {@code UserPromptSubmit}. False when a hook refused the prompt: it was taken back (removed and announced as such,
     * so the client that sent it can offer it again, as Claude Code erases a blocked prompt) and the user was told why.
     * Subagents' prompts fire neither (a task is no user prompt).
     */
    boolean admit(SessionHooks.Scope scope, UserMessage prompt) {
        if (session.parentId().isPresent()) return true;
        List<MessageWithParts> history = journal.history(session.id());
        // what Lathe wrote itself (a summary's carried-over task, "continue", a Stop hook's feedback, a shell note) is no prompt
        Optional<MessageWithParts> stored = history.stream().filter(m -> m.info().id().equals(prompt.id())).findFirst();
        if (stored.isEmpty() || UserShell.isNote(stored.get())
                || stored.get().parts().stream().noneMatch(p -> p instanceof Part.Text t && !t.synthetic())) return true;
        if (hooks.starting(session.id().value())) {
            instructionsLoaded(scope);
            boolean answeredBefore = history.stream().anyMatch(m -> m.info() instanceof AssistantMessage);
            String source = answeredBefore ? "resume" : "startup";
            HookOutcome started = hooks.fire(scope, new HookInput.SessionStart(source, Optional.of(prompt.model())));
            addContext(prompt.id(), "SessionStart", started.joinedContext());
            if (started.verdict() instanceof HookOutcome.Verdict.Stop s) return refuse(prompt, "hook_stopped", "A SessionStart hook stopped the session", s.reason());
        }
        HookOutcome submitted = hooks.fire(scope, new HookInput.UserPromptSubmit(promptText(history, prompt.id())));
        return switch (submitted.verdict()) {
            case HookOutcome.Verdict.Stop s -> refuse(prompt, "hook_stopped", "A UserPromptSubmit hook stopped the session", s.reason());
            case HookOutcome.Verdict.Block b -> refuse(prompt, "hook_blocked", "A UserPromptSubmit hook blocked the prompt", b.reason());
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> {
                addContext(prompt.id(), "UserPromptSubmit", submitted.joinedContext());
                yield true;
            }
        };
    }

    /**
     * {@code InstructionsLoaded} for each file of system block B, once per session since the server started (block B
     * is read with the project, not per step), fired without waiting.
     */
    private void instructionsLoaded(SessionHooks.Scope scope) {
        if (!hooks.matches(scope, new HookInput.InstructionsLoaded(scope.projectDir(), "Project", "session_start"))) return;
        for (TurnServices.InstructionFile f : instructions.get()) {
            hooks.fireAndForget(scope, new HookInput.InstructionsLoaded(f.path(), f.memoryType(), "session_start"));
        }
    }

    /**
     * {@code InstructionsLoaded} ({@code nested_traversal}) for the nested instruction files the last step of
     * {@code message} surfaced ({@link NestedInstructions} names them in its tool parts), fired without waiting.
     */
    void nestedInstructions(SessionHooks.Scope scope, MessageId message) {
        if (!hooks.matches(scope, new HookInput.InstructionsLoaded(scope.projectDir(), "Project", "nested_traversal"))) return;
        List<Part> parts = journal.message(session.id(), message).map(MessageWithParts::parts).orElse(List.of());
        int stepStart = 0;
        for (int i = 0; i < parts.size(); i++) if (parts.get(i) instanceof Part.StepStart) stepStart = i;
        for (Part p : parts.subList(stepStart, parts.size())) {
            if (!(p instanceof Part.Tool t && t.state() instanceof ToolState.Completed c)) continue;
            String names = c.metadata().get(NestedInstructions.METADATA_KEY);
            if (names == null) continue;
            names.lines().filter(n -> !n.isBlank()).forEach(n -> hooks.fireAndForget(scope,
                    new HookInput.InstructionsLoaded(scope.projectDir().resolve(n).normalize(), "Project", "nested_traversal")));
        }
    }

    /** What a hook said about the agent stopping. */
    sealed interface AtStop {
        /** The agent stops as it would. */
        record Stops() implements AtStop {}

        /** The agent goes on: {@code reason} is its next instruction. */
        record GoesOn(String reason) implements AtStop {}

        /** {@code continue: false}: the turn ends with {@code reason} shown. */
        record Halted(String reason) implements AtStop {}
    }

    /**
     * The model answered without asking for tools: {@code Stop} ({@code SubagentStop} in a subagent's session) with the
     * answer's text; {@code active} when the agent already goes on because such a hook blocked its stop in this turn.
     */
    AtStop stopping(SessionHooks.Scope scope, boolean active) {
        String last = Subtasks.finalText(journal.history(session.id())).orElse("");
        var stopHook = active ? HookInput.StopHook.ACTIVE : HookInput.StopHook.INACTIVE;
        HookInput.Data data = session.parentId().isPresent()
                ? new HookInput.SubagentStop(session.id().value(), session.agent(), stopHook, hooks.transcriptOf(session.id().value()), last)
                : new HookInput.Stop(stopHook, last);
        HookOutcome outcome = hooks.fire(scope, data);
        return switch (outcome.verdict()) {
            case HookOutcome.Verdict.Stop s -> new AtStop.Halted(s.reason());
            case HookOutcome.Verdict.Block b -> new AtStop.GoesOn(b.reason());
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> {
                // the agent stops and waits for the user: Claude Code's idle notification (DESIGN §18 "Notifications")
                if (session.parentId().isEmpty()) {
                    hooks.fireAndForget(scope, new HookInput.Notification("Lathe is waiting for your input", Optional.of("Turn finished"), "idle_prompt"));
                }
                yield new AtStop.Stops();
            }
        };
    }

    /** {@code SubagentStart} for this (a subagent's) session, before it reads its task {@code task}: hook context joins the task. */
    void subagentStarting(SessionHooks.Scope scope, MessageId task) {
        HookOutcome outcome = hooks.fire(scope, new HookInput.SubagentStart(session.id().value(), session.agent()));
        addContext(task, "SubagentStart", outcome.joinedContext());
        // continue: false stops the agent that started the task, once the task's call is done
        if (outcome.verdict() instanceof HookOutcome.Verdict.Stop s) hooks.stops().request(scope.sessionId(), s.reason());
    }

    /** The error a turn stopped by a hook's {@code continue: false} ends with: the user reads the hook's {@code stopReason}. */
    static MessageError stopped(String event, String reason) {
        return TurnError.HOOK_STOPPED.because("A " + event + " hook stopped the agent" + (reason.isBlank() ? "." : ": " + reason));
    }

    private boolean refuse(UserMessage prompt, String kind, String what, String reason) {
        journal.of(session).removeMessage(prompt.id());
        journal.of(session).publish(new Event.SessionErrored(session.id(), new MessageError(kind, what + (reason.isBlank() ? "." : ": " + reason))));
        return false;
    }

    private void addContext(MessageId prompt, String event, String context) {
        if (context.isBlank()) return;
        journal.of(session).part(new Part.Text(PartId.next(), session.id(), prompt, event + " hook additional context:\n" + context, true));
    }

    /** What the user wrote in {@code prompt} (its own text parts, not what Lathe added). */
    private static String promptText(List<MessageWithParts> history, MessageId prompt) {
        return history.stream().filter(m -> m.info().id().equals(prompt)).flatMap(m -> m.parts().stream())
                .filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text())
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
