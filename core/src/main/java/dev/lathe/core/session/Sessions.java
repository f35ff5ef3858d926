package dev.lathe.core.session;

import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.command.BuiltinCommands;
import dev.lathe.core.command.CustomCommands;
import dev.lathe.core.command.McpPromptCommands;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.imports.HistoryImports;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.command.SlashCommand;
import dev.lathe.core.command.SlashCommands;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.imports.NewSessions;
import dev.lathe.core.model.DefaultModel;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.project.Projects;
import dev.lathe.core.ask.RememberedAnswers;
import dev.lathe.core.session.background.BackgroundResults;
import dev.lathe.core.session.background.BackgroundTasks;
import dev.lathe.core.session.background.BackgroundTasksElsewhere;
import dev.lathe.core.session.background.FleetTasks;
import dev.lathe.core.session.background.SessionProcesses;
import dev.lathe.core.session.context.RunningTurns;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.history.Forks;
import dev.lathe.core.session.history.ManualCompaction;
import dev.lathe.core.session.history.Reverts;
import dev.lathe.core.session.history.SessionUndo;
import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.inbox.SessionTitles;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.runner.CommandExpansion;
import dev.lathe.core.session.runner.NodeDrain;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.session.runner.SessionTask;
import dev.lathe.core.session.turn.AgentTeams;
import dev.lathe.core.session.turn.TurnHooks;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.session.turn.UserShell;
import dev.lathe.core.toolcall.LoopGuard;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.worktree.WorktreeLocation;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.Usage;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Session operations behind the API: create, list, prompt, abort, and (delegated to one class each) administration:
 * rename/archive/delete ({@link SessionAdmin}), fork ({@link Forks}), diff ({@link dev.lathe.core.session.history.SessionDiff}), user shell commands
 * ({@link UserShell}), slash commands ({@link SlashCommands}), export/import ({@link SessionTransfer}). Prompts are
 * delivered through the session's {@link Inbox}, stored, then handed to the session's runner; this class never waits for a turn (a user shell command waits for its
 * own process only).
 */
public final class Sessions {
    public static final String DEFAULT_AGENT = BuiltinAgents.DEFAULT;
    /**
     * No step limit unless the agent sets {@code steps} (as in Claude Code, Codex and OpenCode): a long task is not cut
     * short, and a model stuck calling the same tool with the same input is stopped by the loop guard's
     * {@code doom_loop} ask ({@link dev.lathe.core.toolcall.LoopGuard}) instead.
     */
    public static final int DEFAULT_MAX_STEPS = Integer.MAX_VALUE;
    private final SessionStore store;
    /** The git worktrees sessions run in (DESIGN §19), each listed with the newest session in it. */
    private final Worktrees worktrees;
    private final MessageStore messages;
    private final Projects projects;
    private final EventBus bus;
    private final TurnServices services;
    private final Reverts reverts;
    private final SessionTransfer transfer;
    private final Forks forks;
    /** Where every session this process creates, imports or forks is written and announced. */
    private final NewSessions created;
    private final HistoryImports history;
    private final UserShell shell;
    private final SlashCommands commands;
    private final Runners runners;
    /** This node's drain (DESIGN §34): SIGTERM or {@code POST /admin/drain}. */
    private final NodeDrain drain;
    private final SessionAdmin admin;
    private final SessionBoard board;
    /** What clients read of a session, and undo/redo: their own services, which the API calls directly (issue 41). */
    private final SessionReads reads;
    private final SessionUndo undo;
    /** Where everything that arrives in a session enters it (decision 521). */
    private final Inbox inbox;
    private final McpContent mcp;
    private final RememberedAnswers remembered;
    private final SessionLocks locks;
    private final SessionProjects sessionProjects;
    private final RunningTurns running;
    /** Fleet tasks (DESIGN §20, {@code lathe run --repo}): sessions in a repository each node clones for itself. */
    private final FleetTasks fleet;
    /** Sessions whose worktree was removed: made again at their next prompt, or refused in one line. */
    private final MissingWorktrees missing;
    /** The cluster's session leases: every prompt is queued for the node that may run it (this one, in one process). */
    private final SessionLeases leases;

    /** What the cluster says of fleet tasks: whether deleted ones are watched for on the bus ({@link #start}). */
    private final Cluster cluster;
    /** Background subagents (DESIGN §18): what runs, and how an interrupted one is reported to its parent. */
    private final BackgroundTasks background;
    private final BackgroundResults backgroundResults;
    private final AgentTeams teams;
    private final SessionProcesses processes;
    private final ManualCompaction compaction;

    /**
     * Sessions over the collaborators the composition root built ({@link SessionWiring#wire}); nothing starts until
     * {@link #start}. Only the slash commands are bound here: they run these sessions' own prompt and compaction.
     */
    Sessions(SessionWiring.Parts parts) {
        this.cluster = parts.shared().cluster();
        this.background = parts.children().background();
        this.backgroundResults = parts.children().backgroundResults();
        this.teams = parts.children().teams();
        this.processes = parts.children().processes();
        this.store = parts.shared().store();
        this.messages = parts.shared().messages();
        this.projects = parts.shared().projects();
        this.bus = parts.shared().bus();
        this.running = parts.shared().running();
        this.sessionProjects = running.projects();
        this.mcp = parts.shared().mcp();
        this.worktrees = parts.shared().worktrees();
        this.services = parts.turns().services();
        this.inbox = parts.turns().inbox();
        this.reverts = parts.lineage().reverts();
        this.transfer = parts.lineage().transfer();
        this.forks = parts.lineage().forks();
        this.created = parts.lineage().created();
        this.history = parts.lineage().history();
        this.missing = parts.upkeep().missing();
        this.fleet = parts.upkeep().fleet();
        this.runners = parts.turns().runners();
        this.leases = cluster.leases();
        this.drain = new NodeDrain(runners, leases, cluster.node().id());
        this.shell = parts.turns().shell();
        this.remembered = parts.turns().remembered();
        this.locks = parts.turns().locks();
        this.undo = parts.lineage().undo();
        this.reads = parts.upkeep().reads();
        this.admin = parts.upkeep().admin();
        this.board = parts.upkeep().board();
        this.compaction = new ManualCompaction(this::get, sessionProjects, runners, reverts, services, messages);
        var custom = new CustomCommands(this::project, projects, new CommandExpansion(services, runners)::expand, this::prompt);
        var prompts = new McpPromptCommands(this::project, mcp, this::prompt);
        this.commands = new SlashCommands(BuiltinCommands.of(undo::undo, undo::redo, this::compact, this::prompt), new SlashCommands.Custom() {
            @Override
            public List<SlashCommand> listed(Session s) {
                return java.util.stream.Stream.concat(custom.of(s).stream(), prompts.listed(s).stream()).toList();
            }

            @Override public Optional<SlashCommand> late(Session s, String name) { return prompts.find(s, name); }
        });
    }

    /**
     * The side effects of these sessions, once the composition root wired everything: this node's copies of fleet tasks
     * that no longer exist are removed, deleted tasks are watched for on the bus (as long as it lives), and the runners
     * start taking the prompts the cluster's leases queue for this node, the prompts a stopped server left queued first.
     */
    public void start() {
        fleet.pruneCopies();
        if (cluster.tasks().fleet()) bus.watch(EventFilter.ALL, fleet::deleted);
        leases.start(runners);
        // background children a daemon restart interrupted are reported to their parents as failed, once
        Thread.ofVirtual().name("lathe-background-report").start(() -> {
            try {
                backgroundResults.reportInterrupted(store.recent(SessionBoard.MAX_SESSIONS), runners::status);
            } catch (RuntimeException e) {
                System.getLogger(Sessions.class.getName()).log(System.Logger.Level.WARNING, "could not report interrupted background tasks: " + e.getMessage());
            }
            // prompts a stopping server left queued behind its turns run now, once each (decision 415)
            try {
                inbox.resumeQueued(runners::status);
            } catch (RuntimeException e) {
                System.getLogger(Sessions.class.getName()).log(System.Logger.Level.WARNING, "could not resume queued prompts: " + e.getMessage());
            }
        });
        // team messages a stop or crash left between sending and delivering reach their recipients, each once
        Thread.ofVirtual().name("lathe-team-deliveries").start(() -> {
            try {
                teams.deliverUndelivered();
            } catch (RuntimeException e) {
                System.getLogger(Sessions.class.getName()).log(System.Logger.Level.WARNING, "could not deliver waiting team messages: " + e.getMessage());
            }
        });
    }

    /** This node's drain (DESIGN §34): one per node, started once. */
    public NodeDrain drain() { return drain; }

    /**
     * The server stops: every running turn and task is aborted and waited for at most {@code within}, so it ends with
     * its parts written rather than failing on a closed store; nothing starts afterwards.
     */
    public void stop(Duration within) {
        runners.stopAll(within);
    }

    /** A new session; the request's shape (a directory given, no {@code null}s) was checked where it entered. */
    public Session create(CreateSessionRequest request) {
        return create(request, ClientEnvironment.NONE);
    }

    /**
     * A new session whose turns use {@code environment}'s config and keys ({@link ClientEnvironment}, held in memory
     * only, until a later prompt brings another).
     */
    public Session create(CreateSessionRequest request, ClientEnvironment environment) {
        return create(request, environment, Worktrees.BaseRef.HEAD);
    }

    /** As above; a new worktree the request asks for starts from {@code base} ({@code worktree.baseRef}, DESIGN §19). */
    public Session create(CreateSessionRequest request, ClientEnvironment environment, Worktrees.BaseRef base) {
        if (FleetTasks.isTask(request)) return fleet.create(request, r -> create(r, environment, Worktrees.BaseRef.HEAD));
        Path dir = Path.of(request.directory());
        if (!dir.isAbsolute()) throw new LatheException.InvalidInput("directory must be an absolute path: " + request.directory());
        if (!dir.toFile().isDirectory()) throw new LatheException.InvalidInput("directory does not exist: " + request.directory());
        Project project = project(request.directory(), environment);
        Optional<String> start = request.parentId().isEmpty() ? project.config().startAgent() : Optional.empty(); // defaultMode plan; a child: its parent's
        String agent = PromptIntake.agent(project, request.agent().or(() -> start).orElse(DEFAULT_AGENT), PromptIntake.AgentScope.of(request.parentId())).name();
        // no model named: the default of the first provider with a key (DefaultModel)
        String model = request.model().or(() -> project.config().model()).or(() -> project.models().defaultModel())
                .orElseThrow(() -> new LatheException.InvalidInput(DefaultModel.nothingUsable(project.config(), project.host().globalConfig())));
        PromptIntake.resolve(project, model);
        if (request.worktree().isPresent()) {
            // checked in the repository first, so a refused request makes no worktree; the worktree is its own project
            return WorktreeSessionStart.start(worktrees, request, base, (id, tree) -> insert(id, request.inDirectory(tree.path()), environment,
                    project(tree.path(), environment), agent, model, Optional.of(WorktreeLocation.recorded(tree))));
        }
        if (request.parentId().isPresent()) {
            // a child stored after its parent's delete would fail on the foreign key: hold the parent meanwhile
            return locks.reading(request.parentId().get(), () -> {
                get(request.parentId().get());
                return insert(SessionId.next(), request, environment, project, agent, model, WorktreeLocation.of(project.directory()));
            });
        }
        return insert(SessionId.next(), request, environment, project, agent, model, WorktreeLocation.of(project.directory()));
    }

    private Session insert(SessionId id, CreateSessionRequest request, ClientEnvironment environment, Project project, String agent, String model,
            Optional<SessionWorktree> worktree) {
        long now = System.currentTimeMillis();
        var session = new Session(id, project.id(), project.directory().toString(), request.parentId(),
                request.title().filter(t -> !t.isBlank()).map(t -> SessionTitles.masked(t, SecretMask.of(Secrets.of(project, model))))
                        .orElse(SessionTitles.untitledNow()),
                agent, model, now, now, Optional.empty(), Usage.ZERO, 0, Optional.empty(), worktree);
        // the client's environment is the session's before anyone hears of it
        sessionProjects.use(session.id(), environment);
        created.insert(session, NewSessions.EMPTY);
        return session;
    }

    /** Sessions of one folder (empty: every folder), newest first; archived ones are left out (they stay reachable by id). */
    public List<Session> list(String directory) {
        if (directory.isEmpty()) return store.recent(SessionBoard.MAX_SESSIONS);
        // a repository's list holds its worktrees' sessions too (DESIGN §18, worktrees)
        return store.byRepository(folder(directory)).stream().filter(s -> s.archivedAt().isEmpty()).toList();
    }

    /** A folder as sessions store it: absolute ones normalised, anything else as given (it matches nothing). */
    static String folder(String directory) {
        try {
            return Path.of(directory).isAbsolute() ? ProjectRoot.normalise(directory).toString() : directory;
        } catch (java.nio.file.InvalidPathException e) {
            throw new LatheException.InvalidInput("not a folder: " + e.getMessage());
        }
    }

    public Session get(SessionId id) {
        return store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
    }

    /** {@code /compact} now ({@link ManualCompaction}); 409 while a turn runs, 400 when there is nothing to compact. */
    public CommandResult compact(SessionId id) { return compaction.compact(id); }

    /** {@code id}'s children with their status, oldest first (DESIGN §18 "Background subagents"). */
    public List<ChildSession> childSessions(SessionId id) {
        get(id);
        return admin.children(id).stream().map(c -> background.listed(c, runners.status(c.id()))).toList();
    }

    /** The agent team {@code id} with its members' statuses now (DESIGN §18 "Agent teams"). */
    public TeamInfo team(String id) {
        return teams.info(id, runners::status);
    }

    /** The agent team session {@code id} leads or is a member of (DESIGN §18 "Agent teams"). */
    public TeamInfo teamOf(SessionId id) {
        get(id);
        return teams.infoOf(id, runners::status);
    }

    /**
     * The background tasks running now, of every session, oldest first ({@code lathe agents}): this node's, and on a
     * team server those the other nodes run ({@link BackgroundTasksElsewhere}).
     */
    public List<ChildSession> backgroundTasks() {
        var here = background.running().stream().flatMap(e -> store.find(e.child()).stream()).map(c -> background.listed(c, runners.status(c.id()))).toList();
        var all = new java.util.ArrayList<>(here);
        all.addAll(BackgroundTasksElsewhere.running(services.journal().elsewhere(), here.stream().map(c -> c.session().id()).collect(java.util.stream.Collectors.toSet()),
                store, services.journal().messages()::bySession));
        all.sort(java.util.Comparator.comparingLong(c -> c.task().map(BackgroundTask::startedAt).orElse(0L)));
        return List.copyOf(all);
    }

    public SessionStatus status(SessionId id) {
        get(id);
        return runners.status(id);
    }

    /** The ACP agents the sessions' {@code acp/NAME} models run in: stopped with their project and with Lathe. */
    public AgentEngines agents() { return services.agents(); }

    /** These sessions' services as the API calls them, one per concept. */
    public SessionApi api() { return new SessionApi(this, reads, undo, worktrees, services.editors(), services.questions(), history, new SessionExports(store, reads, sessionProjects, projects)); }

    /** The sessions' background commands as people reach them (DESIGN §32): listed, read, typed into, ended. */
    public SessionProcesses processes() { return processes; }

    /**
     * Delivers a prompt through the session's inbox ({@link Inbox#deliver}): stored, queued behind the running turn,
     * steered into it or stopping it as its {@code delivery} says, and the session's runner woken.
     */
    public PromptAccepted prompt(SessionId id, PromptRequest request) {
        return deliver(new Arrival.Prompt(id, request)).orElseThrow();
    }

    /**
     * Delivers {@code arrival} through its session's inbox (decision 521); empty when nothing was stored (the session
     * is gone, or a teammate's message was delivered already).
     */
    public Optional<PromptAccepted> deliver(Arrival arrival) {
        return inbox.deliver(arrival);
    }

    /** The journal every write of these sessions goes through (the turn loop's tests look at what it holds). */
    Journal journal() { return services.journal(); }

    /** Stops what runs in the session, on this node or (on a team server) on the node that runs it. */
    public void abort(SessionId id) {
        get(id);
        leases.stop(id);
    }

    public boolean anyRunning() {
        return runners.anyRunning();
    }

    /** Folders (normalised) with a session running a turn: their project instances must stay open. */
    public java.util.Set<Path> busyDirectories() {
        var out = new java.util.HashSet<Path>();
        for (SessionId id : runners.running()) store.find(id).ifPresent(s -> out.add(ProjectRoot.normalise(s.directory())));
        return out;
    }

    /** The folder's remembered "always" answers: the project's, then its sessions' (DESIGN §10). */
    public List<RememberedApproval> approvals(String directory) {
        return remembered.list(project(directory, ClientEnvironment.NONE).id());
    }

    /**
     * Forgets the folder's answer {@code id}; it no longer applies from the next tool call, also in a running turn.
     * @throws LatheException.NotFound when the folder has no such answer
     */
    public RememberedApproval revokeApproval(String directory, String id) {
        return remembered.revoke(project(directory, ClientEnvironment.NONE).id(), id)
                .orElseThrow(() -> new LatheException.NotFound("no remembered answer " + id + " in " + directory + " (/permissions or lathe permissions lists them)"));
    }

    /**
     * Adds the part {@code make} builds for the message session {@code id}'s running turn is writing (its answer, or
     * the prompt before the answer exists), stored and announced as the turn's own parts are (a hook's run, DESIGN §14);
     * false, nothing added, when no turn of the session runs (a hook fired between turns). Safe from any thread.
     */
    public boolean addToRunningTurn(SessionId id, java.util.function.Function<MessageId, Part> make) {
        return running.addPart(id, make);
    }

    /** Every folder's sessions with status, context fill and failure (the web UI's board). */
    public List<SessionSummary> board() { return board.rows(); }

    /** Folders with sessions, most recently active first. */
    public List<SessionStore.Folder> folders() { return store.folders(); }

    /** Session {@code id}'s turns (and its subagents') use {@code environment}'s config and keys from now on; in memory only. */
    public void useEnvironment(SessionId id, ClientEnvironment environment) {
        get(id);
        sessionProjects.use(id, environment);
    }

    /**
     * The project a turn of session {@code id} runs with now, under the session's client environment (the last good
     * configuration while an edit left it invalid); empty for an unknown session. For the tool hooks' seam.
     */
    public Optional<Project> runningProject(SessionId id) { return sessionProjects.runningProject(id); }

    private Project project(Session s) { return sessionProjects.project(s); }

    private Project project(String directory, ClientEnvironment environment) { return sessionProjects.project(directory, environment); }

    /** The session's project as its configuration is now; package-visible for the runner's tests. */
    Project current(Session s) { return sessionProjects.current(s); }

    /** The services the turns use; package-visible for the runner's tests, which build a runner of their own. */
    TurnServices services() { return services; }

    // --- session administration (DESIGN §6): each operation lives in its own class, wired here ---

    /** Sessions of one folder (empty: every folder) that are not idle. */
    public Map<SessionId, SessionStatus> statuses(String directory) {
        return admin.statuses(directory.isEmpty() ? "" : folder(directory));
    }

    /** Renames, archives or unarchives; publishes {@code session.updated}. */
    public Session update(SessionId id, UpdateSessionRequest request) {
        Session session = get(id);
        if (request.title().isPresent()) {
            // a title is listed, announced and exported: a secret typed into one is masked before it is stored (issue 79)
            var mask = SecretMask.of(Secrets.of(project(session), session.model()));
            request = new UpdateSessionRequest(request.title().map(t -> SessionTitles.masked(t, mask)), request.archived());
        }
        return admin.update(id, request);
    }

    /** Aborts what runs (bounded wait), then deletes the session and every session below it for good. */
    public void delete(SessionId id) {
        Session session = get(id);
        // SessionEnd ("other": Lathe's sessions end only when deleted) while its transcript can still be written
        if (session.parentId().isEmpty()) {
            try {
                Project project = current(session);
                services.hooks().fire(TurnHooks.scope(session, project, Secrets.of(project, Optional.empty()), false),
                        new HookInput.SessionEnd("other"));
            } catch (RuntimeException e) {
                System.getLogger(Sessions.class.getName()).log(System.Logger.Level.WARNING, "SessionEnd hooks of " + id + " not fired", e);
            }
        }
        List<SessionId> deleted = new ArrayList<>();
        collect(id, deleted);
        Runnable removeTaskCopy = fleet.removalOf(id);
        admin.delete(session);
        removeTaskCopy.run();
        deleted.forEach(sessionProjects::forget);
        deleted.forEach(d -> loopGuard().forget(d.value()));
        deleted.forEach(services.budgets()::forget);
        // the agent sessions that carried them are not resumed again
        deleted.forEach(d -> services.agents().forget(d.value()));
    }

    /** The guard against the model repeating a call, shared by every session's turns. */
    LoopGuard loopGuard() { return services.tools().loopGuard(); }

    /** {@code id} and every session below it. */
    private void collect(SessionId id, List<SessionId> out) {
        out.add(id);
        for (Session child : admin.children(id)) collect(child.id(), out);
    }

    /**
     * A new top-level session in the same folder with copies of the visible messages before {@code messageId} (all
     * when empty); 409 only when a message to copy is still being written.
     */
    public Session fork(SessionId id, ForkRequest request) { return forks.fork(get(id), request); }

    /**
     * Runs a command the user typed in the project folder and records it with its output; blocks until it ends
     * (abort kills it). 409 while the session is busy, and for a session whose folder is not on this machine.
     */
    public MessageWithParts shell(SessionId id, ShellRequest request) {
        Session session = leases.mayRunElsewhere() ? get(id) : missing.ready(id);
        Project project = project(session);
        String agent = PromptIntake.agent(project, request.agent().orElse(session.agent()), PromptIntake.AgentScope.of(session.parentId())).name();
        if (!java.nio.file.Files.isDirectory(project.directory())) {
            throw new LatheException.Conflict("the session's folder " + session.directory() + " does not exist on this machine");
        }
        Optional<ResolvedModel> model;
        try {
            model = Optional.of(project.models().resolve(session.model()));
        } catch (ModelException e) {
            model = Optional.empty();  // no key to hide then; the environment is scrubbed of key-like names anyway
        }
        var secrets = Secrets.of(project, model);
        return runners.of(id).run(new SessionTask.Shell((_, cancel) -> {
            // like a prompt, a command after a revert drops the hidden messages for good
            Session current = reverts.commit(get(id), project.snapshots());
            return shell.run(current, project, agent, request, secrets, cancel);
        })).orElseThrow(() -> new LatheException.Conflict("session " + id + " is busy; abort it or wait until it is idle"));
    }

    /** Runs a slash command; 404 naming the known ones for an unknown name. */
    public CommandResult command(SessionId id, CommandRequest request) { return commands.run(leases.mayRunElsewhere() ? get(id) : missing.ready(id), request); }

    /** The built-in slash commands, for command lists. */
    public static List<CommandInfo> builtinCommands() {
        return BuiltinCommands.INFO;
    }

    /** The whole session, hidden (reverted) messages included. */
    public SessionExport export(SessionId id) { return transfer.export(get(id)); }

    /** Stores an exported session under its own ids; 409 when one of them exists, 400 for a malformed document. */
    public Session importSession(SessionExport export) { return transfer.importSession(export); }

}
