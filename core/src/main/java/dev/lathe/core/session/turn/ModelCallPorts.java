package dev.lathe.core.session.turn;

import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.ask.QuestionGate;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.project.Project;
import dev.lathe.core.sandbox.SandboxLauncher;
import dev.lathe.core.session.context.ProjectSkills;
import dev.lathe.core.toolcall.CallPorts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.Budget;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.Skills;
import dev.lathe.tools.ToolContext;
import java.util.List;

/**
 * What each tool call of one model step may touch (decision 523), built here and nowhere else: its files (the project
 * folder, the turn's output folder), its processes (the session's sandbox launcher, the secrets kept out of them), the
 * project's network policy, its asks (the permission gate with the call's hooks, the question gate) and the session's
 * tools (todos, subagents, skills, editor, budget, background commands, team). What a step shares (skills, the
 * launcher, the budget port) is made once per step; the rest per call. Nothing is wrapped here: the pipeline does it.
 */
final class ModelCallPorts implements CallPorts.Factory {
    private final TurnServices services;
    private final ModelStep.Caller caller;
    private final ModelStep.TurnCalls turn;
    private final AssistantMessage message;
    private final Skills skills;
    private final ProcessLauncher launcher;
    private final Budget budget;

    ModelCallPorts(TurnServices services, ModelStep.Caller caller, ModelStep.TurnCalls turn, AssistantMessage message) {
        this.services = services;
        this.caller = caller;
        this.turn = turn;
        this.message = message;
        Project project = caller.project();
        this.skills = new ProjectSkills(() -> services.skills(project));
        this.launcher = SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(), this::rules,
                caller.session().id().value(), services.decisions());
        this.budget = turn.budget().port(project, caller.model(), message.id());
    }

    @Override
    public CallPorts forCall(Part.Tool call) {
        Session session = caller.session();
        var hooks = new CallHooks(services.hooks(), turn.hookScope(), session.id().value(), call.callId());
        PermissionGate.Asks asks = turn.allowAll() ? PermissionGate.Asks.ALLOWED_IN_ADVANCE : PermissionGate.Asks.CLIENT_ANSWERS;
        var permissions = turn.gates().gate(message.id(), call.callId(), this::rules, asks, hooks);
        var questions = hooks.notifying(new QuestionGate(session, message.id(), call.callId(), services.questions(), services.journal().of(session),
                turn.cancellation(), turn.gates().unattended()));
        var calls = turn.calls();
        return new CallPorts(calls.folders(caller.project().directory()), new ToolContext.Guards(permissions, launcher, caller.secrets()),
                new NetworkFirst(caller.project().network()), new ToolContext.Session(calls.todos(), questions,
                        services.subtasks().forCall(session, message.id(), turn.cancellation(), turn.allowAll(), services.children()), skills,
                        services.editors().files(session, turn.cancellation()), budget, calls.background(),
                        services.teams().forCall(session, message.id(), turn.cancellation(), turn.allowAll(), services.children())));
    }

    /**
     * The rules a call of this step is held to, read from the project as configured now (a deny added meanwhile applies).
     * A ruling is the call's decision point: the call's look at the project's files ends here (decision 546), so
     * whatever the call does after it, and its next ruling, looks afresh.
     */
    private List<Ruleset> rules() {
        List<Ruleset> rules = Subtasks.rules(caller.live().now(), caller.session(), caller.agent(), services.journal());
        OneLook.end();
        return rules;
    }
}
