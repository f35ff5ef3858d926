package dev.lathe.core.api;

import dev.lathe.core.session.runner.NodeDrain;
import dev.lathe.protocol.api.DrainStarted;

import dev.lathe.protocol.api.ProcessApi;
import dev.lathe.protocol.api.BlockedConnection;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.ProjectFolder;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.telemetry.NodeMetrics;
import dev.lathe.core.session.SessionApi;
import dev.lathe.core.session.Sessions;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.protocol.api.WorktreeCreateRequest;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import java.util.List;
import java.util.Optional;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.StatusLineText;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.RawJson;
import java.util.Map;

/**
 * {@link LatheApi} in process: direct calls into the core, events straight from the bus. Each route calls the one
 * session service of its concept ({@link SessionApi}): life and prompts on {@link Sessions}, reads on
 * {@code reads}, revert and unrevert on {@code undo}, and so on.
 */
public final class LocalLathe implements LatheApi {
    private final SessionApi api;
    private final Sessions sessions;
    private final PermissionBroker broker;
    private final EventBus bus;
    private final ProjectInfo info;
    private final Runnable onClose;
    /** The environment of the client this view serves ({@link #withEnvironment}); never logged or stored. */
    private final ClientEnvironment environment;
    /** The cron schedules (DESIGN §18); the HTTP layer filters the list by owner and names the owner of a new one. */
    private final Schedules schedules;
    /** What {@code GET /metrics} answers (DESIGN §34): this node's, whichever client's view this is. */
    private final NodeMetrics metrics;
    /** How long a drain lets running turns go on ({@code drain.seconds}, the server's config when it starts). */
    private final NodeDrain.Grace grace;

    public LocalLathe(SessionApi sessions, Schedules schedules, ProjectInfo info, PermissionBroker broker, EventBus bus, Runnable onClose,
            NodeMetrics metrics, NodeDrain.Grace grace) {
        this(sessions, schedules, info, broker, bus, onClose, ClientEnvironment.NONE, metrics, grace);
    }

    private LocalLathe(SessionApi api, Schedules schedules, ProjectInfo info, PermissionBroker broker, EventBus bus, Runnable onClose,
            ClientEnvironment environment, NodeMetrics metrics, NodeDrain.Grace grace) {
        this.metrics = metrics;
        this.grace = grace;
        this.schedules = schedules;
        this.environment = environment;
        this.api = api;
        this.sessions = api.sessions();
        this.info = info;
        this.broker = broker;
        this.bus = bus;
        this.onClose = onClose;
    }

    /**
     * A view whose sessions created and prompted use {@code client}'s config and keys (held by {@link Sessions}, in
     * memory), and whose folder answers (config, models, providers, agents) are those that client's sessions see.
     */
    @Override
    public String metrics() {
        return metrics.scrape();
    }

    /** A team node only: in one process no other node would take the sessions, and {@code lathe stop} stops the server. */
    @Override
    public DrainStarted drain() {
        NodeDrain drain = sessions.drain();
        if (!drain.possible()) {
            throw new LatheException.Conflict("this server is not a team-server node (lathe serve --store postgresql://…): no other node"
                    + " would take its sessions; lathe stop stops it");
        }
        return drain.start(grace.read());
    }

    @Override
    public boolean draining() {
        return sessions.drain().draining();
    }

    @Override
    public LatheApi withEnvironment(ClientEnvironment client) {
        return client.equals(environment) ? this : new LocalLathe(api, schedules, info.withEnvironment(client), broker, bus, onClose, client, metrics, grace);
    }

    @Override
    public ScheduleInfo addSchedule(ScheduleRequest request) { return schedules.add(request, request == null ? "" : request.owner(), environment.variables()); }

    @Override
    public List<ScheduleInfo> schedules() { return schedules.list(Optional.empty()); }

    @Override
    public void removeSchedule(String id) { schedules.remove(id); }

    @Override
    public Session createSession(CreateSessionRequest request) {
        RequestShape.check(request);
        // a session in a new worktree: the folder's worktree.baseRef says where it starts (only then is the config read)
        if (request.worktree().isEmpty()) return sessions.create(request, environment);
        absolute(request.directory());
        return sessions.create(request, environment, WorktreeBase.of(info.config(request.directory())));
    }

    @Override
    public WorktreeInfo createWorktree(WorktreeCreateRequest request) {
        java.nio.file.Path dir = absolute(request.directory());
        return api.worktrees().create(dir, request.name().filter(n -> !n.isEmpty()), WorktreeBase.of(info.config(request.directory())));
    }

    @Override
    public List<WorktreeInfo> worktrees(String directory) { return api.worktrees().list(absolute(directory)); }

    @Override
    public WorktreeEnd endWorktree(String directory, String name) {
        return api.worktrees().end(absolute(directory), name);
    }

    @Override
    public WorktreeMerge mergeWorktree(String directory, String name) {
        return api.worktrees().merge(absolute(directory), name);
    }

    @Override
    public WorktreeInfo removeWorktree(WorktreeRemoveRequest request) {
        absolute(request.directory());
        return api.worktrees().remove(request);
    }

    private static java.nio.file.Path absolute(String directory) {
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(directory);
        } catch (java.nio.file.InvalidPathException e) {
            throw new LatheException.InvalidInput("not a folder: " + e.getMessage());
        }
        if (!p.isAbsolute()) throw new LatheException.InvalidInput("directory must be an absolute path: " + directory);
        return p;
    }

    @Override public List<Session> sessions(String directory) { return sessions.list(directory); }

    @Override public List<SessionSummary> board() { return sessions.board(); }

    @Override public List<ProjectFolder> projects() { return info.folders(sessions.folders()); }

    @Override public Session session(SessionId id) { return sessions.get(id); }

    @Override public SessionStatus status(SessionId id) { return sessions.status(id); }

    @Override public List<MessageWithParts> messages(SessionId id) { return api.reads().messages(id); }

    @Override
    public MessagePage messages(SessionId id, int limit, java.util.Optional<MessageId> before) {
        return api.reads().messages(id, limit, before);
    }

    @Override
    public PromptAccepted prompt(SessionId id, PromptRequest request) {
        sessions.useEnvironment(id, environment);
        return sessions.prompt(id, RequestShape.check(request));
    }

    @Override public void abort(SessionId id) { sessions.abort(id); }

    @Override public RevertResult revert(SessionId id, MessageId messageId) { return api.undo().revert(id, RequestShape.revertTarget(messageId)); }

    @Override public RevertResult unrevert(SessionId id) { return api.undo().unrevert(id); }

    @Override public RevertResult undo(SessionId id) { return api.undo().undo(id); }

    @Override public RevertResult redo(SessionId id) { return api.undo().redo(id); }

    @Override public RewindResult rewind(SessionId id, RewindRequest request) { return api.undo().rewind(id, request); }

    @Override public CommandResult compact(SessionId id) { return sessions.compact(id); }

    @Override
    public List<PermissionRequest> permissions(String directory) {
        return broker.pending(directory.isEmpty() ? "" : ProjectRoot.normalise(directory).toString());
    }

    @Override public List<RememberedApproval> approvals(String directory) { return sessions.approvals(directory); }

    @Override public RememberedApproval revokeApproval(String directory, String id) { return sessions.revokeApproval(directory, id); }

    @Override
    public void replyPermission(PermissionId id, PermissionReplyRequest reply) {
        broker.reply(id, RequestShape.check(reply));
    }

    @Override
    public List<QuestionRequest> questions(String directory) {
        return api.questions().pending(directory.isEmpty() ? "" : ProjectRoot.normalise(directory).toString());
    }

    @Override
    public void replyQuestion(QuestionId id, QuestionReplyRequest reply) { api.questions().reply(id, reply); }

    @Override public List<Todo> todos(SessionId id) { return api.reads().todos(id); }

    @Override public ProcessApi processes() { return sessions.processes(); }

    @Override
    public EditorAttachment attachEditor(SessionId id, EditorAttachRequest request) {
        return api.editors().attach(sessions.get(id), RequestShape.check(request));
    }

    @Override public void detachEditor(SessionId id) { api.editors().detach(id); }

    @Override public void detachEditor(SessionId id, String attachmentId) { api.editors().detach(id, attachmentId); }

    @Override
    public EditorRequest editorRequest(String requestId) { return api.editors().pending(requestId); }

    @Override
    public void answerEditor(String requestId, EditorAnswer answer) {
        api.editors().answer(requestId, RequestShape.check(answer));
    }

    @Override
    public AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener) {
        EventFilter normalised = new EventFilter(filter.directory().map(d -> ProjectRoot.normalise(d).toString()), filter.session());
        return bus.subscribe(normalised, afterSeq, listener);
    }

    /** True while any session of this server runs a turn (the daemon's idle timer waits for this). */
    public boolean busy() { return sessions.anyRunning(); }

    public long lastSeq() { return bus.lastSeq(); }

    /** The most event text one subscriber has waiting now ({@link EventBus#heaviestBacklog}): bounded however slow it reads. */
    public long heaviestBacklog() { return bus.heaviestBacklog(); }

    @Override
    public void close() { onClose.run(); }

    @Override public Map<SessionId, SessionStatus> statuses(String directory) { return sessions.statuses(directory); }
    @Override public Session updateSession(SessionId id, UpdateSessionRequest request) { return sessions.update(id, RequestShape.check(request)); }
    @Override
    public void deleteSession(SessionId id) {
        sessions.delete(id);
        api.editors().detach(id);
    }
    @Override public Session fork(SessionId id, ForkRequest request) { return sessions.fork(id, request); }
    @Override public List<Session> children(SessionId id) { return api.reads().children(id); }
    @Override public List<ChildSession> childSessions(SessionId id) { return sessions.childSessions(id); }

    @Override public TeamInfo team(String id) { return sessions.team(id); }
    @Override public TeamInfo sessionTeam(SessionId id) { return sessions.teamOf(id); }
    @Override public List<ChildSession> backgroundTasks() { return sessions.backgroundTasks(); }
    @Override public SessionUsage usage(SessionId id) { return api.reads().usage(id); }
    @Override public StatusLineText statusLine(SessionId id) { return api.reads().statusLine(id); }
    @Override public CacheReport cache(SessionId id) { return api.reads().cache(id); }
    @Override public ContextReport context(SessionId id) { return api.reads().context(id); }
    @Override public ProjectStats stats(String directory) { return api.reads().stats(directory); }
    @Override public DiffPage diff(SessionId id, DiffQuery query) { return api.reads().diff(id, query, sessions.status(id)); }
    @Override
    public MessageWithParts shell(SessionId id, ShellRequest request) {
        sessions.useEnvironment(id, environment);
        return sessions.shell(id, RequestShape.check(request));
    }

    @Override
    public CommandResult command(SessionId id, CommandRequest request) {
        sessions.useEnvironment(id, environment);
        return sessions.command(id, RequestShape.check(request));
    }
    @Override public SessionExport export(SessionId id) { return sessions.export(id); }
    @Override public Session importSession(SessionExport export) { return sessions.importSession(export); }
    @Override public HistoryImportResult importHistory(HistoryImportRequest request) {
        return api.imports().run(request, environment);
    }
    @Override public HarnessExportResult exportTo(SessionId id, HarnessExportRequest request) { return api.exports().run(id, request, environment); }

    @Override public List<AgentInfo> agents(String directory) { return info.agents(directory); }
    @Override public ModesInfo modes(String directory) { return info.modes(directory); }
    @Override public List<CommandInfo> commands(String directory) { return info.commands(directory); }
    @Override public List<SkillInfo> skills(String directory) { return info.skills(directory); }

    @Override public List<McpServerInfo> mcp(String directory) { return info.mcp(directory); }

    @Override
    public List<McpServerInfo> sessionMcp(SessionId id) {
        sessions.get(id);
        return info.sessionMcp(id);
    }

    @Override
    public List<McpServerInfo> setSessionMcp(SessionId id, SessionMcpRequest request) {
        RequestShape.check(request);
        // the project as the session sees it (its client's config and keys): its provider keys stay out of the servers
        var project = sessions.runningProject(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
        return info.setSessionMcp(id, project, request.servers());
    }

    @Override public List<LspServerInfo> lsp(String directory) { return info.lsp(directory); }

    @Override
    public List<BlockedConnection> blockedConnections(String directory) { return info.blockedConnections(directory); }

    @Override public HookListing hooks(String directory) { return info.hooks(directory); }

    @Override public MemoryListing memory(String directory) { return info.memory(directory); }

    @Override public McpServerInfo restartMcp(String directory, String name) { return info.restartMcp(directory, name); }

    @Override public McpSignInStarted signInMcp(String directory, String name) { return info.signInMcp(directory, name); }

    @Override public ProviderSignInStarted signInProvider(String directory, String provider, boolean device) {
        return info.signInProvider(directory, provider, device);
    }

    @Override public List<McpResourceInfo> mcpResources(String directory) { return info.mcpResources(directory); }
    @Override public List<ModelInfo> models(String directory) { return info.models(directory, java.util.Optional.empty()); }
    @Override public List<ModelInfo> models(String directory, String provider) { return info.models(directory, java.util.Optional.of(provider)); }
    @Override public List<ProviderInfo> providers(String directory) { return info.providers(directory); }

    @Override public TrustInfo trust(String directory) { return info.trust(directory); }

    @Override public TrustInfo setTrust(String directory, TrustRequest request) { return info.setTrust(directory, request); }
    @Override public RawJson config(String directory) { return info.config(directory); }
    @Override public RawJson updateConfig(String directory, RawJson patch) { return info.updateConfig(directory, patch); }
    @Override public List<FileEntry> files(String directory, String path) { return info.files(directory, path); }
    @Override public FileContent fileContent(String directory, String path) { return info.fileContent(directory, path); }
    @Override public List<String> findFiles(String directory, String query, int limit) { return info.findFiles(directory, query, limit); }
    @Override public List<TextMatch> findText(String directory, String pattern, int limit) { return info.findText(directory, pattern, limit); }
    @Override public void setAuth(String provider, AuthRequest request) { info.setAuth(provider, request); }
    @Override public void removeAuth(String provider) { info.removeAuth(provider); }
}
