package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.ask.AutoReview;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.permission.Action;
import dev.lathe.protocol.event.ApprovalScope;
import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.protocol.api.PermissionMode;
import java.util.Optional;
import dev.lathe.core.budget.Budgets;
import dev.lathe.core.context.ContextBuilder;

import dev.lathe.core.editor.EditorAttachments;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.Project;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.ask.RememberedAnswers;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.RawLog;
import dev.lathe.core.session.journal.SessionTodos;
import dev.lathe.core.store.TodoStore;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.BackgroundCommands;
import java.nio.file.Path;
import java.util.List;
import dev.lathe.llm.Cancellation;
import dev.lathe.core.toolcall.Origin;


/**
 * What every turn shares, wired once by {@link dev.lathe.core.session.Sessions}, in five groups by concept (issue 41): {@link Records} what a
 * turn writes, {@link Calls} how its steps run, {@link Asks} how it asks the user, {@link ProjectFiles} what it reads of
 * its project, {@link Guards} what checks it from outside (hooks, spend limits). The accessors below name each service
 * directly, so a turn reads {@code services.journal()} without knowing its group.
 */
public record TurnServices(Records records, Calls calls, Asks asks, ProjectFiles files, Guards guards) {
    /**
     * What a turn writes: {@code journal} every message, part and event; {@code usageRecorder} a finished message's
     * tokens and cost; {@code todos} the session's todo list; {@code decisions} every permission decision and answer (the
     * audit log); {@code rawLog} what failed attempts streamed ({@link RawLog}).
     */
    public record Records(Journal journal, UsageRecorder usageRecorder, TodoStore todos, DecisionLog decisions, RawLog rawLog) {}

    /**
     * How a turn's steps run: {@code context} builds each request; {@code tools} is the tool-call pipeline every call
     * goes through, writing full outputs to {@code toolOutputDir}; at most {@code maxSteps} steps; {@code agents} runs the
     * ACP agents sessions use as models ({@code acp/NAME}); {@code reach} is what the calls reach of the session.
     */
    public record Calls(ContextBuilder context, ToolCallPipeline tools, Path toolOutputDir, int maxSteps, AgentEngines agents, Reach reach) {}

    /**
     * What a turn's tool calls reach of the session beyond the call itself (the session tools of their ports,
     * decision 523): {@code subtasks} runs the {@code task} tool's child sessions, their turns on the runners
     * {@code children} names ({@link ChildTurns#NONE} until {@link dev.lathe.core.session.runner.Runners} makes a runner's services); {@code editors}
     * are the editors attached to sessions, whose files the file tools use; {@code background} holds the commands calls
     * start in the background; {@code teams} the agent teams.
     */
    public record Reach(Subtasks subtasks, ChildTurns children, EditorAttachments editors, BackgroundCommands background, AgentTeams teams) {}

    /** These services, a runner's: its turns' {@code task} calls run child turns on {@code runners}. */
    public TurnServices runningChildrenOn(ChildTurns runners) {
        Reach reach = calls.reach();
        return new TurnServices(records, new Calls(calls.context(), calls.tools(), calls.toolOutputDir(), calls.maxSteps(), calls.agents(),
                new Reach(reach.subtasks(), runners, reach.editors(), reach.background(), reach.teams())), asks, files, guards);
    }

    /** How a turn asks the user: permission asks ({@code broker}), the "always" answers kept, and questions. */
    public record Asks(PermissionBroker broker, RememberedAnswers remembered, QuestionBroker questions) {}

    /**
     * What a turn reads of its project, now: its {@code skills}, the {@code instructions} files of its block B, and the
     * check its files pass before a prompt holds them ({@code promptFiles}, issue 40).
     */
    interface ProjectFiles {
        SkillFiles.Found skills(Project project);

        List<InstructionFile> instructions(Project project);

        PromptFiles promptFiles(Project project);
    }

    /**
     * What checks a turn from outside: the project's {@code hooks} of the session's own events, the spend limits checked
     * before each step (decision 119), and what is spent on an idle session's prompt cache ({@code idleCaches}, decision 505).
     */
    public record Guards(SessionHooks hooks, Budgets budgets, IdleCaches idleCaches) {}

    public Journal journal() { return records.journal(); }

    UsageRecorder usageRecorder() { return records.usageRecorder(); }

    public TodoStore todos() { return records.todos(); }

    public DecisionLog decisions() { return records.decisions(); }

    RawLog rawLog() { return records.rawLog(); }

    public ContextBuilder context() { return calls.context(); }

    public ToolCallPipeline tools() { return calls.tools(); }

    public Path toolOutputDir() { return calls.toolOutputDir(); }

    int maxSteps() { return calls.maxSteps(); }

    Subtasks subtasks() { return calls.reach().subtasks(); }

    ChildTurns children() { return calls.reach().children(); }

    public AgentTeams teams() { return calls.reach().teams(); }

    public BackgroundCommands background() { return calls.reach().background(); }

    public EditorAttachments editors() { return calls.reach().editors(); }

    public AgentEngines agents() { return calls.agents(); }

    public PermissionBroker broker() { return asks.broker(); }

    RememberedAnswers remembered() { return asks.remembered(); }

    public QuestionBroker questions() { return asks.questions(); }

    SkillFiles.Found skills(Project project) { return files.skills(project); }

    List<InstructionFile> instructions(Project project) { return files.instructions(project); }

    PromptFiles promptFiles(Project project) { return files.promptFiles(project); }

    public SessionHooks hooks() { return guards.hooks(); }

    public Budgets budgets() { return guards.budgets(); }

    public IdleCaches idleCaches() { return guards.idleCaches(); }

    /** Adds a finished message's tokens and cost (micro-dollars) to its session. */
    public interface UsageRecorder {
        void add(Session session, Usage added, long cost);
    }

    /** An instruction file of block B and whose it is ({@code User}: the global one; {@code Project}: the folder's). */
    record InstructionFile(Path path, String memoryType) {}

    void usage(Session session, Usage added, long cost) { records.usageRecorder().add(session, added, cost); }

    /**
     * The "always" answers a call of {@code session} is held to: the project's (read fresh for every check, so an answer
     * in one session applies in all, and a revoke from the next call) and the session's own.
     */
    public PermissionGate.Approvals approvals(ProjectId project, SessionId session) { return asks.remembered().of(project, session); }

    /**
     * What the permission gates of one turn of {@code session} share: its cancel token, where its "always" answers go
     * ({@code approvals}) and the paths {@code project}'s host protects.
     */
    public PermissionGate.ForTurn gates(Session session, Project project, PermissionGate.Approvals approvals, Cancellation cancellation) {
        return gates(session, project, () -> project, approvals, cancellation);
    }

    /**
     * As above, {@code permission.onDeny} and {@code permission.unattended} read from {@code live} (the project as
     * configured now) at each decision, as the rules are.
     */
    public PermissionGate.ForTurn gates(Session session, Project project, LiveProject live, PermissionGate.Approvals approvals,
            Cancellation cancellation) {
        java.util.function.Supplier<PermissionPolicy> policy = () -> live.now().config().permissionPolicy();
        return new PermissionGate.ForTurn(session, cancellation, new PermissionGate.Answers(acceptingEdits(session, approvals), broker(), journal().of(session)),
                decisions(), project.host().protectedPaths(), policy, new UnattendedAsks(this, session, live), autoReview(session, project, live));
    }

    /**
     * Auto-approval's judge for one turn of {@code session} (DESIGN §31), its settings as the turn's project had them
     * when the turn began (every call asks whether it is on, so reading the files again there cost each call a second
     * look, decision 546; a change applies from the next turn): on when the
     * user's, managed or command-line settings name a classifier ({@code permission.auto}) and either start every session
     * with it or a prompt of the session (or of a parent up its chain) asked for it. The classifier is shown the user's
     * own messages of the root session: a subagent's prompt is the agent's words, not the user's.
     */
    private AutoReview.ForTurn autoReview(Session session, Project project, LiveProject live) {
        var judge = new java.util.concurrent.atomic.AtomicReference<AutoReview>();
        Optional<AutoApproval> settings = project.config().permissionPolicy().auto();
        return () -> {
            if (settings.isEmpty()) return Optional.empty();
            List<Session> chain = chain(session);
            boolean asked = chain.stream().anyMatch(s -> broker().auto().askedIn(s.id()));
            // the default mode turns off what defaultMode auto starts; a prompt asking for auto wins over it
            boolean declined = chain.stream().anyMatch(s -> broker().modes().in(s.id(), PermissionMode.DEFAULT));
            boolean on = asked || settings.get().start() == AutoApproval.Start.ALWAYS && !declined;
            if (!on) return Optional.empty();
            SessionId words = chain.getLast().id();
            return Optional.of(judge.updateAndGet(j -> j != null && j.settings().equals(settings.get()) ? j
                    : new AutoReview(settings.get(), new AutoClassifier(this, session, live), broker().auto(), session.id(), session.directory(),
                            () -> AutoClassifier.userWords(journal().history(words)))));
        };
    }

    private static final String EDIT = "edit";

    /** {@code session} and its parents up to the root (8 at most), nearest first. */
    private List<Session> chain(Session session) {
        List<Session> out = new java.util.ArrayList<>(List.of(session));
        Session at = session;
        for (int depth = 0; depth < 8 && at.parentId().isPresent(); depth++) {
            Optional<Session> parent = journal().find(at.parentId().get());
            if (parent.isEmpty()) break;
            at = parent.get();
            out.add(at);
        }
        return out;
    }

    /**
     * {@code approvals} with, while a prompt of the session (or a parent up its chain) runs in {@code acceptEdits}, the
     * rule an "always" answer to an edit stores ({@code edit *} allow), read at each check: deny rules, protected paths,
     * more specific ask rules and {@code external_directory} still hold, as for that answer.
     */
    private PermissionGate.Approvals acceptingEdits(Session session, PermissionGate.Approvals approvals) {
        Rule edits = new Rule(EDIT, "*", Action.ALLOW, new RuleOrigin(RuleOrigin.Layer.APPROVAL, "acceptEdits mode"));
        return new PermissionGate.Approvals() {
            @Override
            public List<Rule> rules() {
                boolean accepting = chain(session).stream().anyMatch(s -> broker().modes().in(s.id(), PermissionMode.ACCEPT_EDITS));
                if (!accepting) return approvals.rules();
                List<Rule> out = new java.util.ArrayList<>(approvals.rules());
                out.add(edits);
                return out;
            }

            @Override
            public void add(List<Rule> more, ApprovalScope scope) { approvals.add(more, scope); }
        };
    }

    /**
     * The gates of a command run for a client rather than for the model (a goal loop's check through
     * {@code POST /sessions/{id}/shell}): its asks go to that client, which answers them (DESIGN §3), never to the
     * unattended policy.
     */
    PermissionGate.ForTurn attendedGates(Session session, Project project, PermissionGate.Approvals approvals, Cancellation cancellation) {
        return new PermissionGate.ForTurn(session, cancellation, new PermissionGate.Answers(approvals, broker(), journal().of(session)), decisions(),
                project.host().protectedPaths(), () -> project.config().permissionPolicy(), PermissionGate.Unattended.ATTENDED);
    }

    /** What the tool calls of every step of one turn of {@code session} share; {@code origin}: whose calls they are. */
    ToolCallRunner.ForTurn toolCalls(Session session, Cancellation cancellation, Origin origin) {
        return new ToolCallRunner.ForTurn(journal().of(session), toolOutputDir(), tools(), background(), cancellation,
                new SessionTodos(session, todos(), journal()), origin);
    }
}
