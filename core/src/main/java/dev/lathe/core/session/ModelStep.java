package dev.lathe.core.session;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.ask.QuestionGate;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.sandbox.SandboxLauncher;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.lathe.core.permission.Ruleset;

/**
 * One step of a model's turn ({@link Turn}): the request streamed into the message's parts, each tool call it asks
 * for started as it arrives (behind the permission gate, the sandbox, the hooks and the budget), and what came of it.
 * The turn decides what follows from the {@link StepOutcome}.
 *
 * @param liveProject the project as configured now, for a call's rules (a deny added meanwhile stops the next call)
 * @param hookScope   where the step's hook events happen
 * @param secrets     provider keys kept out of tool processes
 */
record ModelStep(TurnServices services, Journal journal, Session session, Project project, Supplier<Project> liveProject, Agent agent,
        ResolvedModel model, boolean allowAll, Cancellation cancellation, PermissionGate.ForTurn gates, ToolCallRunner.ForTurn calls, SessionHooks.Scope hookScope,
        java.util.Set<String> secrets, TurnBudget budget) {

    /**
     * {@code changedFiles}: what the step's calls changed, when they all said (see {@link ToolCallRunner#changedFiles});
     * {@code limitReached}: what a subagent that stopped at a spend limit said.
     */
    record StepOutcome(LlmEvent.Finished finish, TokenUsage usage, int callCount, boolean mayChangeFiles, ToolCallRunner.Outcome tools,
            Optional<java.util.Set<java.nio.file.Path>> changedFiles, Shape shape, Optional<String> limitReached) {
        /** Whether the response was cut at the output limit: the provider said so, or it used the whole budget. */
        boolean cutAtLimit() { return shape.cutAtLimit(); }
    }

    /**
     * How the step's response was shaped, beyond what the provider's stop reason says: cut at the request's output limit
     * ({@code length}, or as many output tokens as the request allowed), stopped at {@code limits.maxAnswerBytes}, and how
     * many of its calls were refused as invalid.
     */
    record Shape(boolean cutAtLimit, boolean capped, int invalidCalls) {}

    /**
     * Sends {@code request} through {@code reservation} (the spend ledger's admission of it), settles the reservation with
     * what the response consumed as soon as it ends — before its tool calls run, so subagents they start count it — and
     * runs the calls.
     */
    StepOutcome run(AssistantMessage message, LlmRequest request, dev.lathe.core.budget.SpendLedger.Reservation reservation, Duration idleTimeout,
            CompletableFuture<Optional<String>> before, Consumer<TokenUsage> responded) {
        SessionJournal sessionJournal = services.journal().of(session);
        Agent current = agent;
        java.util.function.Function<Part.Tool, CallHooks> callHooks = call -> new CallHooks(services.hooks(), hookScope, session.id().value(), call.callId());
        Supplier<List<Ruleset>> rules = () -> Subtasks.rules(liveProject.get(), session, current, services.journal());
        PermissionGate.Asks asks = allowAll ? PermissionGate.Asks.ALLOWED_IN_ADVANCE : PermissionGate.Asks.CLIENT_ANSWERS;
        var step = new ToolCallRunner.ForStep(project.directory(), call -> gates.gate(message.id(), call.callId(), rules, asks, callHooks.apply(call)),
                call -> callHooks.apply(call).notifying(new QuestionGate(session, message.id(), call.callId(), services.questions(), sessionJournal, cancellation)),
                secrets, new ProjectSkills(() -> services.skills().apply(project)), ToolCallRunner.ForStep.offering(request.tools()),
                _ -> services.subtasks().forCall(session, message.id(), cancellation, allowAll, services.children()),
                SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(), rules, session.id().value(), services.decisions()),
                project.network(), _ -> services.editors().files(session, cancellation), budget.port(project, model, message.id()),
                services.promptFiles().apply(project));
        try (var runner = calls.step(step)) {
            var stream = new StepStream(sessionJournal, session.id(), message.id(), call -> {
                // the snapshot must hold the tree before any change; a call that only looks needs not wait for it
                if (runner.mayChangeFiles(call.tool())) before.join();
                runner.start(call);
            }, callIdsOf(message.id()), services.rawLog(), project.config().limits().answerLimit()).replaying(completedInFailedAttempts(message.id()));
            LlmEvent.Finished finish = stream.receive(StepStream.Opener.through(reservation, model), model.provider().origin(), request, idleTimeout, cancellation);
            // a failed attempt is spend too (a retry is checked against the limits with it): what the provider reported
            // before it broke off, topped up by an estimate of what it streamed after that
            TokenUsage usage = finish.error().isPresent() ? stream.failedAttemptUsage(request) : stream.estimatedUsage(request);
            reservation.settle(new dev.lathe.core.store.SpendStore.Spent(project.models().pricing(model).microDollars(usage),
                    usage.input() + usage.output() + usage.cacheWrite()));
            // known now, while the response's tools may run for minutes: the answer's cost so far says so at once
            responded.accept(usage);
            ToolCallRunner.Outcome tools = runner.awaitAll();
            boolean mayChangeFiles = stream.calls().stream().anyMatch(c -> runner.mayChangeFiles(c.tool()));
            boolean cut = finish.error().isEmpty() && (finish.atOutputLimit()
                    || request.maxOutputTokens() > 0 && stream.usage().output() >= request.maxOutputTokens());
            return new StepOutcome(finish, usage, stream.calls().size(), mayChangeFiles, tools, runner.changedFiles(),
                    new Shape(cut, stream.capped(), runner.invalidCalls()), runner.limitReached());
        }
    }

    /** The calls of the message that completed in a step that failed (and is being sent again). */
    private List<Part.Tool> completedInFailedAttempts(MessageId message) {
        List<Part.Tool> out = new java.util.ArrayList<>();
        for (MessageWithParts m : journal.history(session.id())) {
            if (!m.info().id().equals(message)) continue;
            List<Part.Tool> step = new java.util.ArrayList<>();
            for (Part p : m.parts()) {
                switch (p) {
                    case Part.StepStart _ -> step.clear();
                    case Part.Tool t when t.state() instanceof dev.lathe.protocol.session.ToolState.Completed -> step.add(t);
                    case Part.StepFinish f when f.reason().equals(StopReason.ERROR.wire()) -> out.addAll(step);
                    case Part.Text _, Part.Reasoning _, Part.Tool _, Part.File _, Part.StepFinish _, Part.Patch _,
                            Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
                }
            }
        }
        return out;
    }

    /** The call ids the message holds so far (earlier steps, earlier attempts): a response may not reuse one. */
    private java.util.Set<String> callIdsOf(MessageId message) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (MessageWithParts m : journal.history(session.id()).reversed()) {
            if (!m.info().id().equals(message)) continue;
            for (Part p : m.parts()) if (p instanceof Part.Tool t) ids.add(t.callId());
            break;
        }
        return ids;
    }
}
