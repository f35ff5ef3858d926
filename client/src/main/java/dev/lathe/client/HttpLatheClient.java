package dev.lathe.client;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ProcessApi;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.DrainStarted;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.BlockedConnection;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.CallerInfo;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.Health;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.LoginCode;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.ProjectFolder;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.api.RevertRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.StatusLineText;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
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
import dev.lathe.protocol.wire.RecordJson;
import dev.lathe.protocol.wire.WireJson;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.type.TypeReference;

/**
 * {@link LatheApi} over HTTP: each method is one request to the server's API (DESIGN §6), sending the bearer token
 * and, when a directory was given, the {@code X-Lathe-Directory} header (percent-encoded UTF-8, so any path fits
 * in a header). Thread-safe; calls block the calling (preferably virtual) thread.
 *
 * <p>Contract: an error answer becomes the {@link LatheException} case of its status, with the server's code and message; a server
 * that cannot be reached, times out or breaks the exchange becomes {@link LatheClientException}. Neither is ever a
 * checked exception. {@link #subscribe} returns once the server confirmed the stream and then survives dropped
 * connections by resuming after the last event seen. {@link #close} ends every subscription.
 *
 * {@snippet :
 * try (var client = HttpLatheClient.connect(URI.create("http://127.0.0.1:4096"), token, Optional.of(dir))) {
 *     Session session = client.createSession(CreateSessionRequest.in(dir));
 *     try (var events = client.subscribe(EventFilter.session(session.id()), 0, e -> handle(e))) {
 *         client.prompt(session.id(), PromptRequest.text("hello"));
 *     }
 * }
 * }
 */
public final class HttpLatheClient implements LatheApi, FolderDefinitions {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);
    /** For requests that may wait on a person (a permission ask) rather than on the server. */
    private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(30);
    private static final Type STATUSES = new TypeReference<Map<String, SessionStatus>>() {}.getType();

    private final String baseUrl;
    private final String token;
    private final Optional<String> directory;
    private final HttpTransport transport;
    private final ApiRequests requests;
    private final WorktreeCalls worktreeCalls;
    private final ScheduleCalls scheduleCalls;
    private final ProcessCalls processCalls;
    private final FolderCalls folder;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    private HttpLatheClient(URI baseUrl, String token, Optional<String> directory, ClientEnvironment environment) {
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.directory = directory;
        this.transport = HttpTransport.forServer(baseUrl, CONNECT_TIMEOUT);
        this.requests = new ApiRequests(this.baseUrl, token, directory, environment, transport);
        this.worktreeCalls = new WorktreeCalls(requests);
        this.scheduleCalls = new ScheduleCalls(requests);
        this.processCalls = new ProcessCalls(requests);
        this.folder = new FolderCalls(requests);
    }

    /**
     * A client for the server at {@code baseUrl}. Makes no request yet.
     *
     * @param directory project folder sent with every request, used where a call names none itself
     */
    public static HttpLatheClient connect(URI baseUrl, String token, Optional<String> directory) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(directory, "directory");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        return new HttpLatheClient(baseUrl, token, directory, ClientEnvironment.NONE);
    }

    /** A client for a server found by {@link ServerDiscovery}. */
    public static HttpLatheClient connect(ServerEndpoint endpoint, Optional<String> directory) {
        return connect(endpoint.uri(), endpoint.token(), directory);
    }

    /**
     * This client, sending {@code client} ({@link ClientEnvironment#HEADER}) with the requests that create or prompt a
     * session, so their turns use the config and keys of the shell it runs in. For the user's own daemon only: a server
     * elsewhere must not receive the user's keys.
     */
    @Override
    public HttpLatheClient withEnvironment(ClientEnvironment client) {
        return new HttpLatheClient(URI.create(baseUrl), token, directory, client);
    }

    public URI baseUrl() { return URI.create(baseUrl); }

    public Optional<String> directory() { return directory; }

    /** {@code GET /health} (needs no token). */
    public Health health() {
        return WireJson.read(send(get(at(ApiRoute.HEALTH), Map.of())), Health.class);
    }

    /** A one-time web login code of this server valid {@code minutes} (DESIGN §18: {@code lathe web}, {@code lathe pair}); not part of {@code LatheApi}. */
    public LoginCode loginCode(int minutes) {
        return WireJson.read(send(empty(at(ApiRoute.LOGIN_CODE), Map.of("minutes", Integer.toString(minutes)))), LoginCode.class);
    }

    @Override
    public Session createSession(CreateSessionRequest request) {
        return StartJson.session(send(json(at(ApiRoute.SESSION_CREATE), Map.of(), StartJson.createSession(request))));
    }

    @Override
    public List<Session> sessions(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SESSIONS), Map.of("directory", directory))), Session[].class));
    }

    @Override
    public List<SessionSummary> board() {
        return List.of(WireJson.read(send(get(at(ApiRoute.BOARD), Map.of())), SessionSummary[].class));
    }

    @Override
    public List<ProjectFolder> projects() {
        return List.of(WireJson.read(send(get(at(ApiRoute.PROJECTS), Map.of())), ProjectFolder[].class));
    }

    @Override
    public Session session(SessionId id) {
        return RecordJson.read(send(get(at(ApiRoute.SESSION, id.value()), Map.of())), Session.class);
    }

    @Override
    public SessionStatus status(SessionId id) {
        return RecordJson.read(send(get(at(ApiRoute.SESSION_STATUS, id.value()), Map.of())), SessionStatus.class);
    }

    @Override
    public Map<SessionId, SessionStatus> statuses(String directory) {
        Map<String, SessionStatus> raw = RecordJson.read(send(get(at(ApiRoute.SESSION_STATUSES), Map.of("directory", directory))), STATUSES);
        var out = new TreeMap<SessionId, SessionStatus>(java.util.Comparator.comparing(SessionId::value));
        raw.forEach((id, status) -> out.put(new SessionId(id), status));
        return out;
    }

    @Override
    public Map<SessionId, String> owners() {
        Map<String, String> raw = WireJson.read(send(get(at(ApiRoute.OWNERS), Map.of())), new TypeReference<>() {});
        return raw.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> new SessionId(e.getKey()), Map.Entry::getValue));
    }

    @Override
    public Optional<CallerInfo> me() {
        return Optional.of(WireJson.read(send(get(at(ApiRoute.ME), Map.of())), CallerInfo.class));
    }

    @Override
    public Session updateSession(SessionId id, UpdateSessionRequest request) {
        return WireJson.read(send(withBody(at(ApiRoute.SESSION_UPDATE, id.value()), request)), Session.class);
    }

    @Override
    public void deleteSession(SessionId id) {
        send(request(at(ApiRoute.SESSION_DELETE, id.value()), Map.of(), Optional.empty()));
    }

    @Override
    public Session fork(SessionId id, ForkRequest request) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_FORK, id.value()), request)), Session.class);
    }

    @Override
    public List<ChildSession> childSessions(SessionId id) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SESSION_CHILDREN, id.value()), Map.of())), ChildSession[].class));
    }

    @Override
    public List<ChildSession> backgroundTasks() {
        return List.of(WireJson.read(send(get(at(ApiRoute.BACKGROUND_TASKS), Map.of())), ChildSession[].class));
    }

    @Override public SessionUsage usage(SessionId id) { return WireJson.read(send(get(at(ApiRoute.SESSION_USAGE, id.value()), Map.of())), SessionUsage.class); }
    @Override public StatusLineText statusLine(SessionId id) { return WireJson.read(send(get(at(ApiRoute.SESSION_STATUS_LINE, id.value()), Map.of())), StatusLineText.class); }
    @Override public CacheReport cache(SessionId id) { return WireJson.read(send(get(at(ApiRoute.SESSION_CACHE, id.value()), Map.of())), CacheReport.class); }

    @Override
    public ContextReport context(SessionId id) {
        return WireJson.read(send(get(at(ApiRoute.SESSION_CONTEXT, id.value()), Map.of())), ContextReport.class);
    }

    @Override
    public ProjectStats stats(String directory) {
        return WireJson.read(send(get(at(ApiRoute.STATS), Map.of("directory", directory))), ProjectStats.class);
    }

    @Override
    public DiffPage diff(SessionId id, DiffQuery query) {
        var params = new LinkedHashMap<String, String>();
        params.put("scope", query.scope().wire());
        query.limit().ifPresent(l -> params.put("limit", Integer.toString(l)));
        query.after().ifPresent(a -> params.put("after", a));
        ApiRequests.Answer answer = answer(get(at(ApiRoute.SESSION_DIFF, id.value()), params));
        boolean more = answer.header(MessagePage.MORE_HEADER).map(String::strip).orElse("").equals("true");
        return new DiffPage(List.of(WireJson.read(answer.body(), FileDiff[].class)), more);
    }

    /** Waits as long as the command does: a goal loop's check may run a test suite (10 minutes at most) or wait on its ask. */
    @Override
    public MessageWithParts shell(SessionId id, ShellRequest request) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_SHELL, id.value()), request).withTimeout(WAIT_TIMEOUT)), MessageWithParts.class);
    }

    /** Waits as long as the command does: a custom command's shell commands and permission asks come before its answer. */
    @Override
    public CommandResult command(SessionId id, CommandRequest request) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_COMMAND, id.value()), request).withTimeout(WAIT_TIMEOUT)), CommandResult.class);
    }

    @Override public SessionExport export(SessionId id) { return WireJson.read(send(get(at(ApiRoute.SESSION_EXPORT, id.value()), Map.of())), SessionExport.class); }
    @Override public Session importSession(SessionExport export) { return WireJson.read(send(post(at(ApiRoute.SESSION_IMPORT), export)), Session.class); }

    /** Waits as long as reading the other harness's files takes (a long session is many megabytes). */
    @Override
    public HistoryImportResult importHistory(HistoryImportRequest request) {
        return WireJson.read(send(post(at(ApiRoute.HISTORY_IMPORT), request).withTimeout(WAIT_TIMEOUT)), HistoryImportResult.class);
    }

    @Override
    public HarnessExportResult exportTo(SessionId id, HarnessExportRequest request) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_EXPORT_HARNESS, id.value()), request).withTimeout(WAIT_TIMEOUT)), HarnessExportResult.class);
    }

    @Override
    public List<MessageWithParts> messages(SessionId id) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SESSION_MESSAGES, id.value()), Map.of())), MessageWithParts[].class));
    }

    @Override
    public MessagePage messages(SessionId id, int limit, Optional<MessageId> before) {
        var query = new LinkedHashMap<String, String>();
        query.put("limit", Integer.toString(limit));
        before.ifPresent(b -> query.put("before", b.value()));
        ApiRequests.Answer answer = answer(get(at(ApiRoute.SESSION_MESSAGES, id.value()), query));
        boolean more = answer.header(MessagePage.MORE_HEADER).map(String::strip).orElse("").equals("true");
        return new MessagePage(List.of(WireJson.read(answer.body(), MessageWithParts[].class)), more);
    }

    @Override
    public PromptAccepted prompt(SessionId id, PromptRequest request) {
        ApiRequests.Target target = at(ApiRoute.SESSION_PROMPT, id.value());
        return StartJson.promptAccepted(send(StartJson.textPrompt(request).map(body -> json(target, Map.of(), body))
                .orElseGet(() -> post(target, request))));
    }

    @Override
    public void abort(SessionId id) {
        send(empty(at(ApiRoute.SESSION_ABORT, id.value()), Map.of()));
    }

    @Override
    public RevertResult revert(SessionId id, MessageId messageId) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_REVERT, id.value()), new RevertRequest(messageId))), RevertResult.class);
    }

    @Override
    public RevertResult unrevert(SessionId id) { return sessionCommand(id, ApiRoute.SESSION_UNREVERT); }

    @Override
    public RevertResult undo(SessionId id) { return sessionCommand(id, ApiRoute.SESSION_UNDO); }

    @Override
    public RevertResult redo(SessionId id) { return sessionCommand(id, ApiRoute.SESSION_REDO); }

    @Override
    public RewindResult rewind(SessionId id, RewindRequest request) {
        return WireJson.read(send(post(at(ApiRoute.SESSION_REWIND, id.value()), request)), RewindResult.class);
    }

    @Override
    public CommandResult compact(SessionId id) {
        return WireJson.read(send(empty(at(ApiRoute.SESSION_COMPACT, id.value()), Map.of())), CommandResult.class);
    }

    private RevertResult sessionCommand(SessionId id, ApiRoute command) {
        return WireJson.read(send(empty(at(command, id.value()), Map.of())), RevertResult.class);
    }

    /** An empty {@code directory} asks for every folder (sent as {@code directory=}, which overrides the header). */
    @Override
    public List<PermissionRequest> permissions(String directory) {
        return List.of(RecordJson.<PermissionRequest[]>read(send(get(at(ApiRoute.PERMISSIONS), Map.of("directory", directory))), PermissionRequest[].class));
    }

    @Override
    public void replyPermission(PermissionId id, PermissionReplyRequest reply) {
        send(post(at(ApiRoute.PERMISSION_REPLY_SHORT, id.value()), reply));
    }

    @Override
    public List<RememberedApproval> approvals(String directory) {
        return List.of(WireJson.read(send(get(at(ApiRoute.APPROVALS), Map.of("directory", directory))), RememberedApproval[].class));
    }

    @Override
    public RememberedApproval revokeApproval(String directory, String id) {
        return WireJson.read(send(request(at(ApiRoute.APPROVAL_REVOKE, id), Map.of("directory", directory), Optional.empty())),
                RememberedApproval.class);
    }

    @Override
    public List<QuestionRequest> questions(String directory) {
        return List.of(RecordJson.<QuestionRequest[]>read(send(get(at(ApiRoute.QUESTIONS), Map.of("directory", directory))), QuestionRequest[].class));
    }

    @Override
    public void replyQuestion(QuestionId id, QuestionReplyRequest reply) {
        send(post(at(ApiRoute.QUESTION_REPLY_SHORT, id.value()), reply));
    }

    @Override
    public EditorAttachment attachEditor(SessionId id, EditorAttachRequest request) {
        return WireJson.read(send(withBody(at(ApiRoute.SESSION_EDITOR_ATTACH, id.value()), request)), EditorAttachment.class);
    }

    @Override
    public void detachEditor(SessionId id) {
        send(request(at(ApiRoute.SESSION_EDITOR_DETACH, id.value()), Map.of(), Optional.empty()));
    }

    @Override
    public void detachEditor(SessionId id, String attachmentId) {
        send(request(at(ApiRoute.SESSION_EDITOR_DETACH, id.value()), Map.of("attachment", attachmentId), Optional.empty()));
    }

    @Override
    public EditorRequest editorRequest(String requestId) {
        return WireJson.read(send(get(at(ApiRoute.EDITOR_REQUEST, requestId), Map.of())), EditorRequest.class);
    }

    @Override
    public void answerEditor(String requestId, EditorAnswer answer) {
        send(post(at(ApiRoute.EDITOR_ANSWER, requestId), answer));
    }

    @Override
    public List<Todo> todos(SessionId id) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SESSION_TODO, id.value()), Map.of())), Todo[].class));
    }

    @Override
    public FolderCalls folderCalls() { return folder; }

    @Override
    public List<McpServerInfo> mcp(String directory) { return folder.mcp(directory); }

    @Override
    public List<McpServerInfo> sessionMcp(SessionId id) {
        return List.of(WireJson.read(send(get(at(ApiRoute.SESSION_MCP, id.value()), Map.of())), McpServerInfo[].class));
    }

    @Override
    public List<McpServerInfo> setSessionMcp(SessionId id, SessionMcpRequest request) {
        return List.of(WireJson.read(send(withBody(at(ApiRoute.SESSION_MCP_SET, id.value()), request)),
                McpServerInfo[].class));
    }

    @Override
    public List<LspServerInfo> lsp(String directory) { return folder.lsp(directory); }

    @Override
    public List<BlockedConnection> blockedConnections(String directory) { return folder.blockedConnections(directory); }

    @Override
    public McpServerInfo restartMcp(String directory, String name) { return folder.restartMcp(directory, name); }

    @Override
    public ProviderSignInStarted signInProvider(String directory, String provider, boolean device) { return folder.signInProvider(directory, provider, device); }

    @Override
    public McpSignInStarted signInMcp(String directory, String name) { return folder.signInMcp(directory, name); }

    @Override
    public List<McpResourceInfo> mcpResources(String directory) { return folder.mcpResources(directory); }

    @Override
    public List<ModelInfo> models(String directory) { return folder.models(directory); }

    @Override
    public List<ModelInfo> models(String directory, String provider) { return folder.models(directory, provider); }

    @Override
    public List<ProviderInfo> providers(String directory) { return folder.providers(directory); }

    @Override
    public RawJson config(String directory) { return folder.config(directory); }

    @Override
    public RawJson updateConfig(String directory, RawJson patch) { return folder.updateConfig(directory, patch); }

    @Override
    public List<FileEntry> files(String directory, String path) { return folder.files(directory, path); }

    @Override
    public FileContent fileContent(String directory, String path) { return folder.fileContent(directory, path); }

    @Override
    public List<String> findFiles(String directory, String query, int limit) { return folder.findFiles(directory, query, limit); }

    @Override
    public List<TextMatch> findText(String directory, String pattern, int limit) { return folder.findText(directory, pattern, limit); }

    @Override
    public TrustInfo trust(String directory) { return folder.trust(directory); }

    @Override
    public TrustInfo setTrust(String directory, TrustRequest request) { return folder.setTrust(directory, request); }

    @Override
    public void setAuth(String provider, AuthRequest request) {
        send(withBody(at(ApiRoute.AUTH_SET, provider), request));
    }

    @Override
    public void removeAuth(String provider) {
        send(request(at(ApiRoute.AUTH_REMOVE, provider), Map.of(), Optional.empty()));
    }

    /** {@code GET /doc}: the OpenAPI 3.1 description of this server's API, as JSON text. */
    public String openApi() {
        return send(get(at(ApiRoute.DOC), Map.of()));
    }

    /**
     * Opens {@code GET /events} for {@code filter} (its directory, or every folder when it names none, whatever
     * this client's default directory is) and returns once the server confirmed it, so events published afterwards
     * are never missed. The listener runs on the subscription's own virtual thread and also receives
     * {@code server.connected} (after every reconnect) and {@code server.heartbeat}.
     *
     * @throws LatheException       when the server refused the subscription
     * @throws LatheClientException when the server could not be reached
     */
    @Override
    public AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener) {
        var query = new LinkedHashMap<String, String>();
        query.put("directory", filter.directory().orElse(""));
        filter.session().ifPresent(s -> query.put("session", s.value()));
        // the timeout covers the wait for the response headers, not the stream itself
        HttpTransport.Request events = get(at(ApiRoute.EVENTS), query).withHeader("Accept", "text/event-stream").withTimeout(SUBSCRIBE_TIMEOUT).streaming();
        var subscription = new EventSubscription(transport,
                after -> after > 0 ? events.withHeader("Last-Event-ID", Long.toString(after)) : events,
                afterSeq, listener, subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start(SUBSCRIBE_TIMEOUT);
        return subscription;
    }

    @Override
    public WorktreeInfo createWorktree(WorktreeCreateRequest request) { return worktreeCalls.create(request); }

    @Override
    public List<WorktreeInfo> worktrees(String directory) { return worktreeCalls.list(directory); }

    @Override
    public WorktreeEnd endWorktree(String directory, String name) { return worktreeCalls.end(directory, name); }

    @Override
    public WorktreeMerge mergeWorktree(String directory, String name) { return worktreeCalls.merge(directory, name); }

    @Override
    public WorktreeInfo removeWorktree(WorktreeRemoveRequest request) { return worktreeCalls.remove(request); }

    @Override
    public ScheduleInfo addSchedule(ScheduleRequest request) { return scheduleCalls.add(request); }

    @Override
    public List<ScheduleInfo> schedules() { return scheduleCalls.list(); }

    @Override
    public void removeSchedule(String id) { scheduleCalls.remove(id); }

    @Override public ProcessApi processes() { return processCalls; }
    @Override public DrainStarted drain() { return WireJson.read(send(empty(at(ApiRoute.DRAIN), Map.of())), DrainStarted.class); }

    @Override
    public TeamInfo team(String id) { return WireJson.read(send(get(at(ApiRoute.TEAM, id), Map.of())), TeamInfo.class); }
    @Override public TeamInfo sessionTeam(SessionId id) { return WireJson.read(send(get(at(ApiRoute.SESSION_TEAM, id.value()), Map.of())), TeamInfo.class); }

    /** Ends every subscription and releases the transport (aborting calls still waiting); idempotent. */
    @Override
    public void close() {
        for (EventSubscription s : List.copyOf(subscriptions)) s.close();
        transport.close();
    }

    /** The route with the values of its path parameters, in order. */
    private static ApiRequests.Target at(ApiRoute route, String... values) { return ApiRequests.Target.of(route, values); }

    private HttpTransport.Request get(ApiRequests.Target target, Map<String, String> query) { return requests.get(target, query); }

    private HttpTransport.Request post(ApiRequests.Target target, Object body) { return requests.post(target, body); }

    private HttpTransport.Request empty(ApiRequests.Target target, Map<String, String> query) { return requests.empty(target, query); }

    private HttpTransport.Request withBody(ApiRequests.Target target, Object body) { return requests.withBody(target, body); }

    private HttpTransport.Request json(ApiRequests.Target target, Map<String, String> query, String json) { return requests.json(target, query, json); }

    private HttpTransport.Request request(ApiRequests.Target target, Map<String, String> query, Optional<byte[]> body) {
        return requests.request(target, query, body);
    }

    private String send(HttpTransport.Request request) { return requests.send(request); }

    private ApiRequests.Answer answer(HttpTransport.Request request) { return requests.answer(request); }
}
