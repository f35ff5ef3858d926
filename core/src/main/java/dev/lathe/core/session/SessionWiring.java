package dev.lathe.core.session;

import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.ask.RememberedAnswers;
import dev.lathe.core.budget.Budgets;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.editor.EditorAttachments;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.imports.HistoryImports;
import dev.lathe.core.imports.NewSessions;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.ReadHolds;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.core.session.background.BackgroundResults;
import dev.lathe.core.session.background.ProcessHost;
import dev.lathe.core.session.background.SessionProcesses;
import dev.lathe.core.session.background.BackgroundTasks;
import dev.lathe.core.session.background.FleetTasks;
import dev.lathe.core.session.background.TaskTurns;
import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.session.context.RunningTurns;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.history.Forks;
import dev.lathe.core.session.history.Reverts;
import dev.lathe.core.session.history.Rewinds;
import dev.lathe.core.session.history.SessionUndo;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.RawLog;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.session.runner.SessionRunner;
import dev.lathe.core.session.turn.AgentTeams;
import dev.lathe.core.session.turn.ChildTurns;
import dev.lathe.core.session.turn.IdleCaches;
import dev.lathe.core.session.turn.ProjectFileReads;
import dev.lathe.core.session.turn.Subtasks;
import dev.lathe.core.session.turn.TeamHooks;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.session.turn.UserShell;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.Storage;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.core.worktree.TaskCheckouts;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The composition root's session stage: builds, in dependency order, the collaborators {@link Sessions} works with and
 * hands them to it; it starts nothing (the root calls {@link Sessions#start} once the whole graph is wired). It lives in
 * the session package because the services it builds are the package's own; only the composition root calls it (rule
 * test {@code WiringTest}).
 */
public final class SessionWiring {
    private SessionWiring() {}

    /**
     * What the root built before the sessions: the {@code storage}, what the nodes serving these sessions share
     * ({@code cluster}), the {@code projects}, the event {@code bus}, what the hooks reach of the {@code running} turns,
     * {@code mcp}'s resources (attached to prompts that mention them, {@code @NAME:uri}) and prompts (run as slash
     * commands), what checks a session from outside ({@code checks}) and how its tool calls run ({@code calls}).
     */
    public record Inputs(Storage storage, Cluster cluster, Projects projects, EventBus bus, RunningTurns running, McpContent mcp, Checks checks,
            Calls calls) {}

    /**
     * What checks a session from outside: the {@code broker} that holds permission asks until a client replies,
     * {@code decisions}, told every permission decision and answer, and {@code hooks}, the project's hooks of the
     * session's own events (tool events fire on the pipeline's seams).
     */
    public record Checks(PermissionBroker broker, DecisionLog decisions, SessionHooks hooks) {}

    /**
     * How the sessions' tool calls run: through a pipeline with {@code seams} (hooks, process launcher, diagnostics,
     * audit); {@code tools} are the built-in tools offered, {@code extensions}' tools (plugins, the lsp tool, MCP servers)
     * are offered after them at every step and run through the same pipeline; full outputs go to {@code toolOutputDir};
     * at most {@code maxSteps} steps a turn; {@code background} holds the commands sessions run in the background;
     * {@code agents} are the ACP agents sessions run in.
     */
    public record Calls(ToolRegistry tools, ExtensionTools extensions, ToolCallSeams seams, Path toolOutputDir, int maxSteps,
            BackgroundCommands background, AgentEngines agents) {}

    /** The collaborators of {@link Sessions}, each built once here, in five groups by concept. */
    record Parts(Shared shared, Turns turns, Lineage lineage, Upkeep upkeep, Children children) {}

    /** What every session stands on: the cluster, the stores, the projects, the bus, the running turns, MCP, the worktrees. */
    record Shared(Cluster cluster, SessionStore store, MessageStore messages, Projects projects, EventBus bus, RunningTurns running, McpContent mcp,
            Worktrees worktrees) {}

    /** How turns run: their services, the inbox, the runners, the user's shell, the kept answers, the session locks. */
    record Turns(TurnServices services, Inbox inbox, Runners runners, UserShell shell, RememberedAnswers remembered, SessionLocks locks) {}

    /** How sessions are made and changed as a whole: reverts, transfer, forks, creation, imports, undo. */
    record Lineage(Reverts reverts, SessionTransfer transfer, Forks forks, NewSessions created, HistoryImports history, SessionUndo undo) {}

    /** What reads and keeps sessions: reads, administration, the board, lost worktrees, fleet tasks. */
    record Upkeep(SessionReads reads, SessionAdmin admin, SessionBoard board, MissingWorktrees missing, FleetTasks fleet) {}

    /** A session's children: background tasks, their results, agent teams. */
    record Children(BackgroundTasks background, BackgroundResults backgroundResults, AgentTeams teams, SessionProcesses processes) {}

    /** Sessions over {@code in}, wired but not started. */
    public static Sessions wire(Inputs in) {
        Storage storage = in.storage();
        SessionStore store = storage.sessions();
        MessageStore messages = storage.messages();
        Projects projects = in.projects();
        Calls calls = in.calls();
        SessionProjects sessionProjects = in.running().projects();
        // work tied to a folder rather than to a session's turn reads its project under the server's own environment
        LiveProject.AtFolder atFolder = dir -> sessionProjects.project(dir, ClientEnvironment.NONE);
        var journal = in.running().journal();
        // a worktree's session is the newest still in it: not one of a removed worktree whose name was taken again
        var worktrees = new Worktrees(new Worktrees.WorktreeSessions() {
            @Override
            public Optional<String> newestIn(Path worktree) {
                return store.byDirectory(worktree.toString()).stream()
                        .filter(s -> s.parentId().isEmpty() && s.worktree().flatMap(SessionWorktree::removedAt).isEmpty())
                        .findFirst().map(s -> s.id().value());
            }

            // a worktree Lathe removed (or found gone): its sessions are no longer in it
            @Override public void gone(Path worktree) { MissingWorktrees.removed(store, journal, worktree); }
        }, new WorktreeHookRuns(in.checks().hooks(), atFolder),
                main -> new ReadHolds(sessionProjects.project(main.toString(), ClientEnvironment.NONE).rules(), main));
        var remembered = new RememberedAnswers(storage.approvals());
        var intake = new PromptIntake(journal);
        var locks = new SessionLocks();
        // subtasks run turns on runners built from these services: the turn that starts one hands both over (ChildTurns)
        // where every session this process creates, imports or forks is written and announced
        var created = new NewSessions(store, storage.transcripts(), in.bus());
        // whatever arrives in a session (a prompt, a child's result, a teammate's message) enters through its inbox
        var inbox = new Inbox(store, storage.teams(), journal, in.cluster().leases());
        // background subagents' ends reach their parents as prompts do: stored, then the parent queued for its node
        var background = new BackgroundTasks();
        var backgroundResults = new BackgroundResults(journal, inbox);
        // background commands tell the model through the inbox and the clients through the journal, under the limits of
        // their session's project as configured now
        calls.background().attach(new ProcessHost(store, journal, inbox, s -> sessionProjects.current(s).config().processes().limits()));
        var subtasks = new Subtasks(store, created, journal, intake, sessionProjects::current, worktrees, background, backgroundResults);
        // a team's members are background children of its lead; messages reach them as the children's results reach a parent
        var teams = new AgentTeams(storage.teams(), store, journal, subtasks, sessionProjects::current, inbox,
                new TeamHooks(in.checks().hooks(), sessionProjects::current));
        var services = new TurnServices(
                new TurnServices.Records(journal, (session, added, cost) -> journal.modify(session.id(),
                        s -> s.withUsage(added, cost, System.currentTimeMillis())), storage.todos(), in.checks().decisions(),
                        new RawLog(projects.paths().state().resolve("raw"))),
                new TurnServices.Calls(new ContextBuilder(calls.tools(), calls.extensions(), calls.toolOutputDir(), teams::inTeam),
                        new ToolCallPipeline(calls.tools(), calls.seams(), calls.extensions()), calls.toolOutputDir(), calls.maxSteps(), calls.agents(),
                        new TurnServices.Reach(subtasks, ChildTurns.NONE, new EditorAttachments(in.bus()), calls.background(), teams)),
                new TurnServices.Asks(in.checks().broker(), remembered, new QuestionBroker(in.cluster().asks())),
                new ProjectFileReads(projects),
                new TurnServices.Guards(in.checks().hooks(), new Budgets(storage.spend()), new IdleCaches()));
        // an ask is judged again when a client leaves (DESIGN §26): a `lathe run` that exits leaves its background
        // children's waiting asks, questions and spend limits to permission.unattended, not waiting forever
        in.bus().onClientLeft(() -> {
            services.broker().rejudge();
            services.questions().rejudge();
        });
        var missing = new MissingWorktrees(store, journal, worktrees, atFolder);
        var fleet = new FleetTasks(in.cluster().tasks(), new TaskCheckouts(projects.paths().data().resolve("tasks"), worktrees),
                atFolder, journal);
        var reverts = new Reverts(journal);
        var lookups = new SessionRunner.Lookups() {
            @Override
            public Session session(SessionId id) { return store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id)); }

            @Override
            public Project project(Session session) { return sessionProjects.current(session); }
        };
        var runners = new Runners(services, (sid, runnerServices) -> new SessionRunner(sid, runnerServices, lookups, new TaskTurns() {
                    @Override
                    public Session prepare(Session session) {
                        // a task moves to this node's copy first; any other session whose worktree went is given one again
                        Session here = fleet.prepare(session);
                        if (!MissingWorktrees.lost(here)) return here;
                        try {
                            return missing.ready(here.id());
                        } catch (LatheException e) {
                            throw new TaskTurns.WorkspaceFailed(e);
                        }
                    }

                    @Override
                    public void turnEnded(Session session) {
                        fleet.turnEnded(session);
                        teams.turnEnded(session);
                    }
                }), in.cluster().leases());
        // the door of prompts needs the runners, which need the services whose tools deliver to the inbox
        inbox.attach(new PromptArrivals(store, sessionProjects, in.mcp(), missing, locks, reverts, intake, services, runners, in.cluster().leases(), inbox));
        var board = new SessionBoard(store, messages, new SessionBoard.Live() {
            @Override
            public SessionStatus status(SessionId id) {
                // as Sessions.status: an unknown session is not found
                if (store.find(id).isEmpty()) throw new LatheException.NotFound("no session " + id);
                return runners.status(id);
            }

            @Override
            public int contextLimit(Session session) { return sessionProjects.knownContextLimit(session); }

            @Override
            public Optional<BackgroundTask> task(SessionId id) { return background.find(id).map(BackgroundTasks.Entry::info); }
        }, storage.teams());
        return new Sessions(new Parts(new Shared(in.cluster(), store, messages, projects, in.bus(), in.running(), in.mcp(), worktrees),
                new Turns(services, inbox, runners, new UserShell(services), remembered, locks),
                new Lineage(reverts, new SessionTransfer(store, messages, projects, created), new Forks(messages, created), created,
                        new HistoryImports(store, storage.transcripts(), projects, created),
                        new SessionUndo(store, runners, reverts, new Rewinds(journal, services), sessionProjects)),
                new Upkeep(new SessionReads(store, messages, services, sessionProjects, storage.stats()),
                        new SessionAdmin(store, journal, runners, s -> sessionProjects.current(s).snapshots(), locks, calls.background()), board, missing, fleet),
                new Children(background, backgroundResults, teams, new SessionProcesses(store, calls.background(), inbox))));
    }
}
