package dev.lathe.server.http;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.RawJson;
import java.util.Map;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link LatheApi} for server tests: sessions, messages, pending permissions and an event log with
 * replay. It records what the server asked of it ({@link #calls}, {@link #subscriptions}) and can be told to fail.
 * Like the real core, it calls each listener on that subscription's own thread, in seq order.
 */
final class FakeLatheApi implements LatheApi {
    /** One {@code subscribe} call as the server made it. */
    record SubscribeCall(EventFilter filter, long afterSeq) {}

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<SubscribeCall> subscriptions = new CopyOnWriteArrayList<>();
    final AtomicInteger openSubscriptions = new AtomicInteger();
    final AtomicInteger closedSubscriptions = new AtomicInteger();
    volatile Optional<RuntimeException> failWith = Optional.empty();
    /** Every client environment a request brought ({@link #withEnvironment}), in order. */
    final List<dev.lathe.protocol.api.ClientEnvironment> environments = new CopyOnWriteArrayList<>();

    private final Map<SessionId, Session> sessions = new ConcurrentHashMap<>();
    private final Map<SessionId, List<MessageWithParts>> messages = new ConcurrentHashMap<>();
    private final Map<PermissionId, PermissionRequest> pending = new ConcurrentHashMap<>();
    private final Map<PermissionId, String> permissionDirectories = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final List<EventEnvelope> log = new ArrayList<>();
    private final List<Subscriber> live = new ArrayList<>();
    private long seq;

    /** One subscription: its own virtual thread drains an unbounded queue into the listener. */
    private static final class Subscriber {
        final EventFilter filter;
        final LinkedBlockingQueue<EventEnvelope> pending = new LinkedBlockingQueue<>();
        final Thread thread;

        Subscriber(EventFilter filter, EventListener listener) {
            this.filter = filter;
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    while (true) listener.on(pending.take());
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }
    }

    @Override
    public Session createSession(CreateSessionRequest request) {
        maybeFail("createSession");
        long now = System.currentTimeMillis();
        var session = new Session(SessionId.next(), ProjectId.next(), request.directory(), request.parentId(),
                request.title().orElse("New session"), request.agent().orElse("build"), request.model().orElse("fake/model"),
                now, now, Optional.empty(), Usage.ZERO, 0, Optional.empty());
        sessions.put(session.id(), session);
        messages.put(session.id(), new CopyOnWriteArrayList<>());
        publish(Optional.of(session.directory()), new Event.SessionCreated(session));
        return session;
    }

    @Override
    public List<Session> sessions(String directory) {
        maybeFail("sessions");
        calls.add("sessions " + directory);
        return sessions.values().stream().filter(s -> directory.isEmpty() || s.directory().equals(directory))
                .sorted(Comparator.comparing(Session::id).reversed()).toList();
    }

    @Override
    public List<dev.lathe.protocol.api.SessionSummary> board() {
        calls.add("board");
        return sessions.values().stream().map(s -> new dev.lathe.protocol.api.SessionSummary(s, SessionStatus.IDLE, 0, 0, java.util.Optional.empty())).toList();
    }

    @Override
    public List<dev.lathe.protocol.api.ProjectFolder> projects() {
        calls.add("projects");
        return List.of();
    }

    @Override
    public Session session(SessionId id) {
        maybeFail("session");
        Session s = sessions.get(id);
        if (s == null) throw new LatheException.NotFound("no session " + id);
        return s;
    }

    @Override
    public SessionStatus status(SessionId id) {
        session(id);
        return SessionStatus.IDLE;
    }

    @Override
    public List<MessageWithParts> messages(SessionId id) {
        session(id);
        return List.copyOf(messages.get(id));
    }

    @Override
    public dev.lathe.protocol.api.MessagePage messages(SessionId id, int limit, Optional<MessageId> before) {
        session(id);
        return dev.lathe.protocol.api.MessagePage.of(List.copyOf(messages.get(id)), limit, before);
    }

    @Override
    public PromptAccepted prompt(SessionId id, PromptRequest request) {
        Session s = session(id);
        var message = new UserMessage(MessageId.next(), id, System.currentTimeMillis(), s.agent(), s.model());
        var parts = new ArrayList<Part>();
        for (InputPart p : request.parts()) {
            parts.add(switch (p) {
                case InputPart.Text t -> new Part.Text(PartId.next(), id, message.id(), t.text(), false);
                case InputPart.File f -> new Part.File(PartId.next(), id, message.id(), f.mime(), f.name(), f.url());
            });
        }
        messages.get(id).add(new MessageWithParts(message, List.copyOf(parts)));
        calls.add("prompt " + id);
        publish(Optional.of(s.directory()), new Event.MessageUpdated(message));
        return new PromptAccepted(message.id());
    }

    @Override
    public dev.lathe.protocol.api.RevertResult revert(SessionId id, dev.lathe.protocol.MessageId messageId) {
        calls.add("revert " + id + " " + messageId);
        return new dev.lathe.protocol.api.RevertResult(session(id), List.of());
    }

    @Override
    public dev.lathe.protocol.api.RevertResult unrevert(SessionId id) {
        calls.add("unrevert " + id);
        return new dev.lathe.protocol.api.RevertResult(session(id), List.of());
    }

    @Override
    public dev.lathe.protocol.api.RevertResult undo(SessionId id) {
        calls.add("undo " + id);
        return new dev.lathe.protocol.api.RevertResult(session(id), List.of());
    }

    @Override
    public dev.lathe.protocol.api.CommandResult compact(SessionId id) {
        calls.add("compact " + id);
        return new dev.lathe.protocol.api.CommandResult("compact", Optional.empty(), Optional.empty());
    }

    @Override
    public dev.lathe.protocol.api.RevertResult redo(SessionId id) {
        calls.add("redo " + id);
        return new dev.lathe.protocol.api.RevertResult(session(id), List.of());
    }

    @Override
    public dev.lathe.protocol.api.RewindResult rewind(SessionId id, dev.lathe.protocol.api.RewindRequest request) {
        calls.add("rewind " + id + " " + request.messageId() + " " + request.restore() + " " + request.outsideEdits());
        return new dev.lathe.protocol.api.RewindResult(session(id), List.of(), List.of(), List.of());
    }

    @Override
    public void abort(SessionId id) {
        session(id);
        calls.add("abort " + id);
    }

    @Override
    public List<PermissionRequest> permissions(String directory) {
        maybeFail("permissions");
        calls.add("permissions " + directory);
        return pending.values().stream()
                .filter(p -> directory.isEmpty() || permissionDirectories.get(p.id()).equals(directory)).toList();
    }

    @Override
    public java.util.List<dev.lathe.protocol.api.RememberedApproval> approvals(String directory) {
        maybeFail("approvals");
        return java.util.List.copyOf(remembered);
    }

    @Override
    public dev.lathe.protocol.api.RememberedApproval revokeApproval(String directory, String id) {
        maybeFail("revokeApproval");
        var found = remembered.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new LatheException.NotFound("no remembered answer " + id));
        remembered.remove(found);
        calls.add("revoke " + id);
        return found;
    }

    /** Remembered answers {@link #approvals} lists. */
    public final java.util.List<dev.lathe.protocol.api.RememberedApproval> remembered = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void replyPermission(PermissionId id, PermissionReplyRequest reply) {
        maybeFail("replyPermission");
        PermissionRequest request = pending.remove(id);
        if (request == null) throw new LatheException.NotFound("no pending permission " + id);
        calls.add("reply " + id + " " + reply.reply().wire() + reply.message().map(m -> " " + m).orElse(""));
    }

    /** Adds a pending ask for {@code session} and returns it. */
    @Override
    public List<dev.lathe.protocol.event.QuestionRequest> questions(String directory) { return List.of(); }

    @Override
    public void replyQuestion(dev.lathe.protocol.QuestionId id, dev.lathe.protocol.api.QuestionReplyRequest reply) {
        throw new LatheException.NotFound("no pending question " + id);
    }

    @Override
    public dev.lathe.protocol.api.EditorAttachment attachEditor(SessionId id, dev.lathe.protocol.api.EditorAttachRequest request) {
        throw new LatheException.NotFound("no session " + id);
    }

    @Override
    public void detachEditor(SessionId id) {}

    @Override
    public void detachEditor(SessionId id, String attachmentId) {}

    @Override
    public dev.lathe.protocol.event.EditorRequest editorRequest(String requestId) {
        throw new LatheException.NotFound("no editor request " + requestId + " is waiting");
    }

    @Override
    public void answerEditor(String requestId, dev.lathe.protocol.api.EditorAnswer answer) {
        throw new LatheException.NotFound("no editor request " + requestId + " is waiting");
    }

    @Override
    public List<dev.lathe.protocol.session.Todo> todos(SessionId id) { return List.of(); }

    PermissionRequest ask(Session session, String command) {
        var request = new PermissionRequest(PermissionId.next(), session.id(), MessageId.next(), "call_1", "bash",
                List.of(command), List.of(command.split(" ")[0] + " *"), "Run " + command, Map.of(), System.currentTimeMillis());
        pending.put(request.id(), request);
        permissionDirectories.put(request.id(), session.directory());
        publish(Optional.of(session.directory()), new Event.PermissionAsked(request));
        return request;
    }

    /** Appends to the log and delivers to matching live subscribers; returns the envelope. */
    EventEnvelope publish(Optional<String> directory, Event event) {
        synchronized (lock) {
            var envelope = new EventEnvelope(++seq, System.currentTimeMillis(), directory, event);
            log.add(envelope);
            for (Subscriber s : live) if (matches(s.filter, envelope)) s.pending.add(envelope);
            return envelope;
        }
    }

    @Override
    public AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener) {
        maybeFail("subscribe");
        subscriptions.add(new SubscribeCall(filter, afterSeq));
        var subscriber = new Subscriber(filter, listener);
        synchronized (lock) {
            for (EventEnvelope e : log) if (e.seq() > afterSeq && matches(filter, e)) subscriber.pending.add(e);
            live.add(subscriber);
        }
        openSubscriptions.incrementAndGet();
        return () -> {
            boolean removed;
            synchronized (lock) {
                removed = live.remove(subscriber);
            }
            subscriber.thread.interrupt();
            if (removed) {
                openSubscriptions.decrementAndGet();
                closedSubscriptions.incrementAndGet();
            }
        };
    }

    @Override
    public void close() {}

    @Override
    public LatheApi withEnvironment(dev.lathe.protocol.api.ClientEnvironment environment) {
        environments.add(environment);
        return this;
    }

    private static boolean matches(EventFilter filter, EventEnvelope e) {
        if (filter.directory().isPresent() && !filter.directory().equals(e.directory())) return false;
        return filter.session().isEmpty() || filter.session().equals(Event.sessionOf(e.event()));
    }

    private void maybeFail(String call) {
        if (failWith.isPresent()) throw failWith.get();
    }

    @Override public Map<SessionId, SessionStatus> statuses(String directory) { throw TODO(); }
    @Override public Session updateSession(SessionId id, UpdateSessionRequest request) { throw TODO(); }

    @Override public dev.lathe.protocol.api.ProcessApi processes() { throw TODO(); }
    @Override public void deleteSession(SessionId id) { throw TODO(); }
    @Override public Session fork(SessionId id, ForkRequest request) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.ChildSession> childSessions(SessionId id) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.ChildSession> backgroundTasks() { throw TODO(); }
    @Override public SessionUsage usage(SessionId id) { throw TODO(); }
    @Override public dev.lathe.protocol.api.StatusLineText statusLine(SessionId id) { throw TODO(); }
    @Override public dev.lathe.protocol.api.CacheReport cache(SessionId id) { throw TODO(); }
    @Override public dev.lathe.protocol.api.ContextReport context(SessionId id) { throw TODO(); }
    @Override public dev.lathe.protocol.api.ProjectStats stats(String directory) { throw TODO(); }
    @Override public dev.lathe.protocol.api.DiffPage diff(SessionId id, dev.lathe.protocol.api.DiffQuery query) { throw TODO(); }
    @Override public MessageWithParts shell(SessionId id, ShellRequest request) { throw TODO(); }
    @Override public CommandResult command(SessionId id, CommandRequest request) { throw TODO(); }
    @Override public SessionExport export(SessionId id) { throw TODO(); }
    @Override public Session importSession(SessionExport export) { throw TODO(); }
    @Override public dev.lathe.protocol.api.HistoryImportResult importHistory(dev.lathe.protocol.api.HistoryImportRequest request) { throw TODO(); }
    @Override public dev.lathe.protocol.api.HarnessExportResult exportTo(SessionId id, dev.lathe.protocol.api.HarnessExportRequest request) { throw TODO(); }
    @Override public List<AgentInfo> agents(String directory) { throw TODO(); }
    @Override public ModesInfo modes(String directory) { throw TODO(); }
    @Override public List<CommandInfo> commands(String directory) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.SkillInfo> skills(String directory) { throw TODO(); }

    @Override public List<dev.lathe.protocol.api.McpServerInfo> mcp(String directory) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.McpServerInfo> sessionMcp(SessionId id) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.McpServerInfo> setSessionMcp(SessionId id, dev.lathe.protocol.api.SessionMcpRequest request) { throw TODO(); }

    @Override public List<dev.lathe.protocol.api.LspServerInfo> lsp(String directory) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.BlockedConnection> blockedConnections(String directory) { throw TODO(); }

    @Override public dev.lathe.protocol.api.HookListing hooks(String directory) { throw TODO(); }
    @Override public dev.lathe.protocol.api.MemoryListing memory(String directory) { throw TODO(); }
    @Override public dev.lathe.protocol.api.McpServerInfo restartMcp(String directory, String name) { throw TODO(); }
    @Override public dev.lathe.protocol.api.McpSignInStarted signInMcp(String directory, String name) { throw TODO(); }
    @Override public dev.lathe.protocol.api.ProviderSignInStarted signInProvider(String directory, String provider, boolean device) { throw TODO(); }

    @Override public List<dev.lathe.protocol.api.McpResourceInfo> mcpResources(String directory) { throw TODO(); }
    /** What {@code models} answers for any folder: set by a test. */
    List<ModelInfo> models = List.of();

    @Override public List<ModelInfo> models(String directory) { return models; }
    @Override public List<ModelInfo> models(String directory, String provider) {
        return models.stream().filter(m -> m.provider().equals(provider)).toList();
    }
    @Override public List<ProviderInfo> providers(String directory) { throw TODO(); }

    @Override public dev.lathe.protocol.api.TrustInfo trust(String directory) { throw TODO(); }

    @Override public dev.lathe.protocol.api.TrustInfo setTrust(String directory, dev.lathe.protocol.api.TrustRequest request) { throw TODO(); }
    @Override public RawJson config(String directory) { throw TODO(); }
    @Override public RawJson updateConfig(String directory, RawJson patch) { throw TODO(); }
    @Override public List<FileEntry> files(String directory, String path) { throw TODO(); }
    @Override public FileContent fileContent(String directory, String path) { throw TODO(); }
    @Override public List<String> findFiles(String directory, String query, int limit) { throw TODO(); }
    @Override public List<TextMatch> findText(String directory, String pattern, int limit) { throw TODO(); }
    @Override public void setAuth(String provider, AuthRequest request) { throw TODO(); }
    @Override public void removeAuth(String provider) { throw TODO(); }

    @Override public dev.lathe.protocol.api.WorktreeInfo createWorktree(dev.lathe.protocol.api.WorktreeCreateRequest request) { throw TODO(); }
    @Override public List<dev.lathe.protocol.api.WorktreeInfo> worktrees(String directory) { throw TODO(); }
    @Override public dev.lathe.protocol.api.WorktreeEnd endWorktree(String directory, String name) { throw TODO(); }
    @Override public dev.lathe.protocol.api.WorktreeMerge mergeWorktree(String directory, String name) { throw TODO(); }
    @Override public dev.lathe.protocol.api.WorktreeInfo removeWorktree(dev.lathe.protocol.api.WorktreeRemoveRequest request) { throw TODO(); }

    private static LatheException TODO() { return new LatheException.Failed("not_implemented", "not implemented yet"); }
}
