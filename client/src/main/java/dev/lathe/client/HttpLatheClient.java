package dev.lathe.client;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.Health;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RevertRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import java.util.concurrent.ConcurrentHashMap;

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
public final class HttpLatheClient implements LatheApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);
    /** For requests that may wait on a person (a permission ask) rather than on the server. */
    private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(30);

    private final String baseUrl;
    private final String token;
    private final Optional<String> directory;
    private final HttpTransport transport;
    private final ApiRequests requests;
    private final WorktreeCalls worktreeCalls;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    private HttpLatheClient(URI baseUrl, String token, Optional<String> directory, ClientEnvironment environment) {
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.directory = directory;
        this.transport = HttpTransport.forServer(baseUrl, CONNECT_TIMEOUT);
        this.requests = new ApiRequests(this.baseUrl, token, directory, environment, transport);
        this.worktreeCalls = new WorktreeCalls(requests);
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
        return WireJson.read(send(get("/health", Map.of())), Health.class);
    }

    /** A one-time web login code of this server (DESIGN §18: {@code lathe web}); the server's, not part of {@code LatheApi}. */
    public dev.lathe.protocol.api.LoginCode loginCode() {
        return WireJson.read(send(emptyPost("/login/code")), dev.lathe.protocol.api.LoginCode.class);
    }

    @Override
    public Session createSession(CreateSessionRequest request) {
        return StartJson.session(send(json("POST", "/sessions", Map.of(), StartJson.createSession(request))));
    }

    @Override
    public List<Session> sessions(String directory) {
        return List.of(WireJson.read(send(get("/sessions", Map.of("directory", directory))), Session[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.SessionSummary> board() {
        return List.of(WireJson.read(send(get("/board", Map.of())), dev.lathe.protocol.api.SessionSummary[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.ProjectFolder> projects() {
        return List.of(WireJson.read(send(get("/projects", Map.of())), dev.lathe.protocol.api.ProjectFolder[].class));
    }

    @Override
    public Session session(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value(), Map.of())), Session.class);
    }

    @Override
    public SessionStatus status(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value() + "/status", Map.of())), SessionStatus.class);
    }

    @Override
    public Map<SessionId, SessionStatus> statuses(String directory) {
        Map<String, SessionStatus> raw = WireJson.read(send(get("/sessions/status", Map.of("directory", directory))), new TypeReference<>() {});
        var out = new TreeMap<SessionId, SessionStatus>(java.util.Comparator.comparing(SessionId::value));
        raw.forEach((id, status) -> out.put(new SessionId(id), status));
        return out;
    }

    @Override
    public Map<SessionId, String> owners() {
        Map<String, String> raw = WireJson.read(send(get("/owners", Map.of())), new TypeReference<>() {});
        return raw.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> new SessionId(e.getKey()), Map.Entry::getValue));
    }

    @Override
    public Optional<dev.lathe.protocol.api.CallerInfo> me() {
        return Optional.of(WireJson.read(send(get("/me", Map.of())), dev.lathe.protocol.api.CallerInfo.class));
    }

    @Override
    public Session updateSession(SessionId id, UpdateSessionRequest request) {
        return WireJson.read(send(withBody("PATCH", "/sessions/" + id.value(), request)), Session.class);
    }

    @Override
    public void deleteSession(SessionId id) {
        send(request("DELETE", "/sessions/" + id.value(), Map.of(), Optional.empty()));
    }

    @Override
    public Session fork(SessionId id, ForkRequest request) {
        return WireJson.read(send(post("/sessions/" + id.value() + "/fork", request)), Session.class);
    }

    @Override
    public List<Session> children(SessionId id) {
        return List.of(WireJson.read(send(get("/sessions/" + id.value() + "/children", Map.of())), Session[].class));
    }

    @Override
    public SessionUsage usage(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value() + "/usage", Map.of())), SessionUsage.class);
    }

    @Override
    public CacheReport cache(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value() + "/cache", Map.of())), CacheReport.class);
    }

    @Override
    public ContextReport context(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value() + "/context", Map.of())), ContextReport.class);
    }

    @Override
    public ProjectStats stats(String directory) {
        return WireJson.read(send(get("/stats", Map.of("directory", directory))), ProjectStats.class);
    }

    @Override
    public List<FileDiff> diff(SessionId id) {
        return List.of(WireJson.read(send(get("/sessions/" + id.value() + "/diff", Map.of())), FileDiff[].class));
    }

    @Override
    public MessageWithParts shell(SessionId id, ShellRequest request) {
        return WireJson.read(send(post("/sessions/" + id.value() + "/shell", request)), MessageWithParts.class);
    }

    /** Waits as long as the command does: a custom command's shell commands and permission asks come before its answer. */
    @Override
    public CommandResult command(SessionId id, CommandRequest request) {
        return WireJson.read(send(post("/sessions/" + id.value() + "/command", request).withTimeout(WAIT_TIMEOUT)), CommandResult.class);
    }

    @Override
    public SessionExport export(SessionId id) {
        return WireJson.read(send(get("/sessions/" + id.value() + "/export", Map.of())), SessionExport.class);
    }

    @Override
    public Session importSession(SessionExport export) {
        return WireJson.read(send(post("/sessions/import", export)), Session.class);
    }

    /** Waits as long as reading the other harness's files takes (a long session is many megabytes). */
    @Override
    public dev.lathe.protocol.api.HistoryImportResult importHistory(dev.lathe.protocol.api.HistoryImportRequest request) {
        return WireJson.read(send(post("/import/history", request).withTimeout(WAIT_TIMEOUT)), dev.lathe.protocol.api.HistoryImportResult.class);
    }

    @Override
    public List<MessageWithParts> messages(SessionId id) {
        return List.of(WireJson.read(send(get("/sessions/" + id.value() + "/messages", Map.of())), MessageWithParts[].class));
    }

    @Override
    public dev.lathe.protocol.api.MessagePage messages(SessionId id, int limit, Optional<MessageId> before) {
        var query = new LinkedHashMap<String, String>();
        query.put("limit", Integer.toString(limit));
        before.ifPresent(b -> query.put("before", b.value()));
        ApiRequests.Answer answer = answer(get("/sessions/" + id.value() + "/messages", query));
        boolean more = answer.header(dev.lathe.protocol.api.MessagePage.MORE_HEADER).map(String::strip).orElse("").equals("true");
        return new dev.lathe.protocol.api.MessagePage(List.of(WireJson.read(answer.body(), MessageWithParts[].class)), more);
    }

    @Override
    public PromptAccepted prompt(SessionId id, PromptRequest request) {
        String path = "/sessions/" + id.value() + "/prompt";
        return StartJson.promptAccepted(send(StartJson.textPrompt(request).map(body -> json("POST", path, Map.of(), body))
                .orElseGet(() -> post(path, request))));
    }

    @Override
    public void abort(SessionId id) {
        send(emptyPost("/sessions/" + id.value() + "/abort"));
    }

    @Override
    public RevertResult revert(SessionId id, MessageId messageId) {
        return WireJson.read(send(post("/sessions/" + id.value() + "/revert", new RevertRequest(messageId))), RevertResult.class);
    }

    @Override
    public RevertResult unrevert(SessionId id) { return sessionCommand(id, "unrevert"); }

    @Override
    public RevertResult undo(SessionId id) { return sessionCommand(id, "undo"); }

    @Override
    public RevertResult redo(SessionId id) { return sessionCommand(id, "redo"); }

    @Override
    public CommandResult compact(SessionId id) {
        return WireJson.read(send(emptyPost("/sessions/" + id.value() + "/compact")), CommandResult.class);
    }

    private RevertResult sessionCommand(SessionId id, String command) {
        return WireJson.read(send(emptyPost("/sessions/" + id.value() + "/" + command)), RevertResult.class);
    }

    /** An empty {@code directory} asks for every folder (sent as {@code directory=}, which overrides the header). */
    @Override
    public List<PermissionRequest> permissions(String directory) {
        return List.of(WireJson.read(send(get("/permissions", Map.of("directory", directory))), PermissionRequest[].class));
    }

    @Override
    public void replyPermission(PermissionId id, PermissionReplyRequest reply) {
        send(post("/permissions/" + id.value(), reply));
    }

    @Override
    public List<RememberedApproval> approvals(String directory) {
        return List.of(WireJson.read(send(get("/approvals", Map.of("directory", directory))), RememberedApproval[].class));
    }

    @Override
    public RememberedApproval revokeApproval(String directory, String id) {
        return WireJson.read(send(request("DELETE", "/approvals/" + encodePath(id), Map.of("directory", directory), Optional.empty())),
                RememberedApproval.class);
    }

    @Override
    public List<QuestionRequest> questions(String directory) {
        return List.of(WireJson.read(send(get("/questions", Map.of("directory", directory))), QuestionRequest[].class));
    }

    @Override
    public void replyQuestion(QuestionId id, QuestionReplyRequest reply) {
        send(post("/questions/" + id.value(), reply));
    }

    @Override
    public EditorAttachment attachEditor(SessionId id, EditorAttachRequest request) {
        return WireJson.read(send(withBody("PUT", "/sessions/" + id.value() + "/editor", request)), EditorAttachment.class);
    }

    @Override
    public void detachEditor(SessionId id) {
        send(request("DELETE", "/sessions/" + id.value() + "/editor", Map.of(), Optional.empty()));
    }

    @Override
    public void detachEditor(SessionId id, String attachmentId) {
        send(request("DELETE", "/sessions/" + id.value() + "/editor", Map.of("attachment", attachmentId), Optional.empty()));
    }

    @Override
    public dev.lathe.protocol.event.EditorRequest editorRequest(String requestId) {
        return WireJson.read(send(get("/editor/" + encodePath(requestId), Map.of())), dev.lathe.protocol.event.EditorRequest.class);
    }

    @Override
    public void answerEditor(String requestId, EditorAnswer answer) {
        send(post("/editor/" + encodePath(requestId), answer));
    }

    @Override
    public List<Todo> todos(SessionId id) {
        return List.of(WireJson.read(send(get("/sessions/" + id.value() + "/todo", Map.of())), Todo[].class));
    }

    @Override
    public List<AgentInfo> agents(String directory) {
        return List.of(WireJson.read(send(get("/agents", Map.of("directory", directory))), AgentInfo[].class));
    }

    @Override
    public List<CommandInfo> commands(String directory) {
        return List.of(WireJson.read(send(get("/commands", Map.of("directory", directory))), CommandInfo[].class));
    }

    @Override
    public List<SkillInfo> skills(String directory) {
        return List.of(WireJson.read(send(get("/skills", Map.of("directory", directory))), SkillInfo[].class));
    }

    @Override
    public dev.lathe.protocol.api.HookListing hooks(String directory) {
        return WireJson.read(send(get("/hooks", Map.of("directory", directory))), dev.lathe.protocol.api.HookListing.class);
    }

    @Override
    public List<dev.lathe.protocol.api.McpServerInfo> mcp(String directory) {
        return List.of(WireJson.read(send(get("/mcp", Map.of("directory", directory))), dev.lathe.protocol.api.McpServerInfo[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.McpServerInfo> sessionMcp(SessionId id) {
        return List.of(WireJson.read(send(get("/sessions/" + id.value() + "/mcp", Map.of())), dev.lathe.protocol.api.McpServerInfo[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.McpServerInfo> setSessionMcp(SessionId id, dev.lathe.protocol.api.SessionMcpRequest request) {
        return List.of(WireJson.read(send(withBody("PUT", "/sessions/" + id.value() + "/mcp", request)),
                dev.lathe.protocol.api.McpServerInfo[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.LspServerInfo> lsp(String directory) {
        return List.of(WireJson.read(send(get("/lsp", Map.of("directory", directory))), dev.lathe.protocol.api.LspServerInfo[].class));
    }

    @Override
    public List<dev.lathe.protocol.api.BlockedConnection> blockedConnections(String directory) {
        return List.of(WireJson.read(send(get("/network/blocked", Map.of("directory", directory))), dev.lathe.protocol.api.BlockedConnection[].class));
    }

    @Override
    public dev.lathe.protocol.api.McpServerInfo restartMcp(String directory, String name) {
        return WireJson.read(send(request("POST", "/mcp/" + encodePath(name) + "/restart", Map.of("directory", directory), Optional.of(new byte[0]))),
                dev.lathe.protocol.api.McpServerInfo.class);
    }

    @Override
    public dev.lathe.protocol.api.ProviderSignInStarted signInProvider(String directory, String provider, boolean device) {
        return WireJson.read(send(request("POST", "/auth/" + encodePath(provider) + "/sign-in", Map.of("directory", directory, "device",
                String.valueOf(device)), Optional.of(new byte[0]))), dev.lathe.protocol.api.ProviderSignInStarted.class);
    }

    @Override
    public dev.lathe.protocol.api.McpSignInStarted signInMcp(String directory, String name) {
        return WireJson.read(send(request("POST", "/mcp/" + encodePath(name) + "/auth", Map.of("directory", directory), Optional.of(new byte[0]))),
                dev.lathe.protocol.api.McpSignInStarted.class);
    }

    @Override
    public List<dev.lathe.protocol.api.McpResourceInfo> mcpResources(String directory) {
        return List.of(WireJson.read(send(get("/mcp/resources", Map.of("directory", directory))), dev.lathe.protocol.api.McpResourceInfo[].class));
    }

    @Override
    public List<ModelInfo> models(String directory) {
        return List.of(WireJson.read(send(get("/models", Map.of("directory", directory))), ModelInfo[].class));
    }

    @Override
    public List<ModelInfo> models(String directory, String provider) {
        return List.of(WireJson.read(send(get("/models", Map.of("directory", directory, "provider", provider))), ModelInfo[].class));
    }

    @Override
    public List<ProviderInfo> providers(String directory) {
        return List.of(WireJson.read(send(get("/providers", Map.of("directory", directory))), ProviderInfo[].class));
    }

    @Override
    public RawJson config(String directory) {
        return new RawJson(send(get("/config", Map.of("directory", directory))));
    }

    @Override
    public RawJson updateConfig(String directory, RawJson patch) {
        return new RawJson(send(json("PATCH", "/config", Map.of("directory", directory), patch.json())));
    }

    @Override
    public List<FileEntry> files(String directory, String path) {
        return List.of(WireJson.read(send(get("/files", Map.of("directory", directory, "path", path))), FileEntry[].class));
    }

    @Override
    public FileContent fileContent(String directory, String path) {
        return WireJson.read(send(get("/files/content", Map.of("directory", directory, "path", path))), FileContent.class);
    }

    @Override
    public List<String> findFiles(String directory, String query, int limit) {
        return List.of(WireJson.read(send(get("/find/files", Map.of("directory", directory, "query", query, "limit", Integer.toString(limit)))),
                String[].class));
    }

    @Override
    public List<TextMatch> findText(String directory, String pattern, int limit) {
        return List.of(WireJson.read(send(get("/find/text", Map.of("directory", directory, "pattern", pattern, "limit", Integer.toString(limit)))),
                TextMatch[].class));
    }

    @Override
    public TrustInfo trust(String directory) {
        return WireJson.read(send(get("/trust", Map.of("directory", directory))), TrustInfo.class);
    }

    @Override
    public TrustInfo setTrust(String directory, TrustRequest request) {
        return WireJson.read(send(json("PUT", "/trust", Map.of("directory", directory), WireJson.write(request))), TrustInfo.class);
    }

    @Override
    public void setAuth(String provider, AuthRequest request) {
        send(withBody("PUT", "/auth/" + encodePath(provider), request));
    }

    @Override
    public void removeAuth(String provider) {
        send(request("DELETE", "/auth/" + encodePath(provider), Map.of(), Optional.empty()));
    }

    /** {@code GET /doc}: the OpenAPI 3.1 description of this server's API, as JSON text. */
    public String openApi() {
        return send(get("/doc", Map.of()));
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
        HttpTransport.Request events = get("/events", query).withHeader("Accept", "text/event-stream").withTimeout(SUBSCRIBE_TIMEOUT).streaming();
        var subscription = new EventSubscription(transport,
                after -> after > 0 ? events.withHeader("Last-Event-ID", Long.toString(after)) : events,
                afterSeq, listener, subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start(SUBSCRIBE_TIMEOUT);
        return subscription;
    }

    @Override
    public dev.lathe.protocol.api.WorktreeInfo createWorktree(dev.lathe.protocol.api.WorktreeCreateRequest request) { return worktreeCalls.create(request); }

    @Override
    public List<dev.lathe.protocol.api.WorktreeInfo> worktrees(String directory) { return worktreeCalls.list(directory); }

    @Override
    public dev.lathe.protocol.api.WorktreeEnd endWorktree(String directory, String name) { return worktreeCalls.end(directory, name); }

    @Override
    public dev.lathe.protocol.api.WorktreeMerge mergeWorktree(String directory, String name) { return worktreeCalls.merge(directory, name); }

    @Override
    public dev.lathe.protocol.api.WorktreeInfo removeWorktree(dev.lathe.protocol.api.WorktreeRemoveRequest request) { return worktreeCalls.remove(request); }

    /** Ends every subscription and releases the transport (aborting calls still waiting); idempotent. */
    @Override
    public void close() {
        for (EventSubscription s : List.copyOf(subscriptions)) s.close();
        transport.close();
    }

    private HttpTransport.Request get(String path, Map<String, String> query) { return requests.get(path, query); }

    private HttpTransport.Request post(String path, Object body) { return requests.post(path, body); }

    private HttpTransport.Request emptyPost(String path) { return requests.emptyPost(path); }

    private HttpTransport.Request withBody(String method, String path, Object body) { return requests.withBody(method, path, body); }

    private HttpTransport.Request json(String method, String path, Map<String, String> query, String json) { return requests.json(method, path, query, json); }

    private HttpTransport.Request request(String method, String path, Map<String, String> query, Optional<byte[]> body) {
        return requests.request(method, path, query, body);
    }

    private static String encodePath(String segment) { return ApiRequests.encodePath(segment); }

    private String send(HttpTransport.Request request) { return requests.send(request); }

    private ApiRequests.Answer answer(HttpTransport.Request request) { return requests.answer(request); }
}
