package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.agent.Agent;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import java.util.Set;

/**
 * The tool set of one step of a model's turn ({@link StepLoop.Tools}), from the turn's services: each call the step's
 * response asks for gets what it may touch from {@link ModelCallPorts} (the one place a model's call gets its ports,
 * decision 523) and runs through the pipeline, which puts the permission gate, the sandbox and the hooks around it.
 * The step loop itself ({@link StepLoop}) never sees these services.
 *
 * @param caller whose step it is
 * @param turn   what the calls of the step's turn share
 */
record ModelStep(TurnServices services, Caller caller, TurnCalls turn) {
    /**
     * Whose step it is: the {@code session} and its {@code agent} and {@code model}, the {@code project} as the step
     * began, the project as configured now ({@code live}: a call's rules are read from it, so a deny added meanwhile stops
     * the next call) and the provider keys kept out of tool processes ({@code secrets}).
     */
    record Caller(Session session, Agent agent, ResolvedModel model, Project project, LiveProject live, Set<String> secrets) {}

    /**
     * What the calls of one turn share: its permission {@code gates} and call runner ({@code calls}), where its hook
     * events happen ({@code hookScope}), its {@code budget}, its cancel token, and whether the user allowed everything in
     * advance ({@code allowAll}).
     */
    record TurnCalls(PermissionGate.ForTurn gates, ToolCallRunner.ForTurn calls, SessionHooks.Scope hookScope, TurnBudget budget,
            Cancellation cancellation, boolean allowAll) {}

    /** The tools of the step answering in {@code message}, offering those {@code request} names. */
    ToolCallRunner tools(AssistantMessage message, LlmRequest request) {
        Project project = caller.project();
        var step = new ToolCallRunner.ForStep(project.directory(), ToolCallRunner.ForStep.offering(request.tools()), services.promptFiles(project),
                new ModelCallPorts(services, caller, turn, message));
        return turn.calls().step(step);
    }
}
