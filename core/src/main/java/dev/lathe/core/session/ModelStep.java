package dev.lathe.core.session;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.ask.QuestionGate;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.Project;
import dev.lathe.core.sandbox.SandboxLauncher;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tool set of one step of a model's turn ({@link StepLoop.Tools}), from the turn's services: each call the step's
 * response asks for goes behind the permission gate, the sandbox, the hooks and the budget, with the questions, skills,
 * subagents and editors it may use. The step loop itself ({@link StepLoop}) never sees these services.
 *
 * @param liveProject the project as configured now, for a call's rules (a deny added meanwhile stops the next call)
 * @param hookScope   where the step's hook events happen
 * @param secrets     provider keys kept out of tool processes
 */
record ModelStep(TurnServices services, Session session, Project project, Supplier<Project> liveProject, Agent agent,
        ResolvedModel model, boolean allowAll, Cancellation cancellation, PermissionGate.ForTurn gates, ToolCallRunner.ForTurn calls, SessionHooks.Scope hookScope,
        Set<String> secrets, TurnBudget budget) {

    /** The tools of the step answering in {@code message}, offering those {@code request} names. */
    ToolCallRunner tools(AssistantMessage message, LlmRequest request) {
        SessionJournal sessionJournal = services.journal().of(session);
        Agent current = agent;
        Function<Part.Tool, CallHooks> callHooks = call -> new CallHooks(services.hooks(), hookScope, session.id().value(), call.callId());
        Supplier<List<Ruleset>> rules = () -> Subtasks.rules(liveProject.get(), session, current, services.journal());
        PermissionGate.Asks asks = allowAll ? PermissionGate.Asks.ALLOWED_IN_ADVANCE : PermissionGate.Asks.CLIENT_ANSWERS;
        var step = new ToolCallRunner.ForStep(project.directory(), call -> gates.gate(message.id(), call.callId(), rules, asks, callHooks.apply(call)),
                call -> callHooks.apply(call).notifying(new QuestionGate(session, message.id(), call.callId(), services.questions(), sessionJournal, cancellation,
                        gates.unattended())),
                secrets, new ProjectSkills(() -> services.skills().apply(project)), ToolCallRunner.ForStep.offering(request.tools()),
                _ -> services.subtasks().forCall(session, message.id(), cancellation, allowAll, services.children()),
                SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(), rules, session.id().value(), services.decisions()),
                project.network(), _ -> services.editors().files(session, cancellation), budget.port(project, model, message.id()),
                services.promptFiles().apply(project),
                _ -> services.teams().forCall(session, message.id(), cancellation, allowAll, services.children()));
        return calls.step(step);
    }
}
