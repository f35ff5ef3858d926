package dev.lathe.core.session;

import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.context.ContextBuilder;

import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.project.Project;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.ask.RememberedAnswers;
import dev.lathe.core.store.TodoStore;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;


/**
 * What every turn shares, wired once by {@link Sessions}; {@code tools} is the tool-call pipeline every call goes
 * through; {@code subtasks} runs the {@code task} tool's child sessions,
 * {@code skills} finds a project's skills (now); {@code decisions} is told every permission decision and answer (the
 * audit log); {@code rawLog} keeps what failed attempts streamed ({@link RawLog}); {@code hooks} fires the
 * project's hooks of the session's own events; {@code instructions} lists the instruction files of a project's block B;
 * {@code agents} runs the ACP agents sessions use as models ({@code acp/NAME}); {@code editors} are the editors attached
 * to sessions, whose files the file tools use; {@code budgets} the spend limits checked before each step (decision 119);
 * {@code promptFiles} the check a project's files pass before a prompt holds them (issue 40).
 */
record TurnServices(Journal journal, ContextBuilder context, ToolCallPipeline tools, PermissionBroker broker, Path toolOutputDir,
        int maxSteps, UsageRecorder usageRecorder, RememberedAnswers remembered, QuestionBroker questions, TodoStore todos, Subtasks subtasks,
        Function<Project, SkillFiles.Found> skills, DecisionLog decisions, RawLog rawLog, SessionHooks hooks,
        Function<Project, List<InstructionFile>> instructions, dev.lathe.core.acpagent.AgentEngines agents,
        dev.lathe.core.editor.EditorAttachments editors, dev.lathe.core.budget.Budgets budgets,
        Function<Project, dev.lathe.core.permission.PromptFiles> promptFiles) {
    /** Adds a finished message's tokens and cost (micro-dollars) to its session. */
    interface UsageRecorder {
        void add(Session session, Usage added, long cost);
    }

    /** An instruction file of block B and whose it is ({@code User}: the global one; {@code Project}: the folder's). */
    record InstructionFile(Path path, String memoryType) {}

    void usage(Session session, Usage added, long cost) { usageRecorder.add(session, added, cost); }

    /**
     * The "always" answers a call of {@code session} is held to: the project's (read fresh for every check, so an answer
     * in one session applies in all, and a revoke from the next call) and the session's own.
     */
    PermissionGate.Approvals approvals(ProjectId project, SessionId session) { return remembered.of(project, session); }
}
