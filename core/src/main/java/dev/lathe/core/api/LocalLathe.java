package dev.lathe.core.api;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.session.Sessions;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import java.util.List;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileDiff;
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
import java.util.Optional;

/** {@link LatheApi} in process: direct calls into the core, events straight from the bus. */
public final class LocalLathe implements LatheApi {
    private final Sessions sessions;
    private final PermissionBroker broker;
    private final EventBus bus;
    private final Runnable onClose;

    public LocalLathe(Sessions sessions, PermissionBroker broker, EventBus bus, Runnable onClose) {
        this.sessions = sessions;
        this.broker = broker;
        this.bus = bus;
        this.onClose = onClose;
    }

    @Override public Session createSession(CreateSessionRequest request) { return sessions.create(request); }

    @Override public List<Session> sessions(String directory) { return sessions.list(directory); }

    @Override public Session session(SessionId id) { return sessions.get(id); }

    @Override public SessionStatus status(SessionId id) { return sessions.status(id); }

    @Override public List<MessageWithParts> messages(SessionId id) { return sessions.messages(id); }

    @Override public PromptAccepted prompt(SessionId id, PromptRequest request) { return sessions.prompt(id, request); }

    @Override public void abort(SessionId id) { sessions.abort(id); }

    @Override public RevertResult revert(SessionId id, MessageId messageId) { return sessions.revert(id, messageId); }

    @Override public RevertResult unrevert(SessionId id) { return sessions.unrevert(id); }

    @Override public RevertResult undo(SessionId id) { return sessions.undo(id); }

    @Override public RevertResult redo(SessionId id) { return sessions.redo(id); }

    @Override
    public List<PermissionRequest> permissions(String directory) {
        return broker.pending(directory.isEmpty() ? "" : ProjectRoot.normalise(directory).toString());
    }

    @Override
    public void replyPermission(PermissionId id, PermissionReplyRequest reply) {
        if (reply == null || reply.reply() == null) throw ApiException.badRequest("reply must be once, always or reject");
        broker.reply(id, reply);
    }

    @Override
    public List<QuestionRequest> questions(String directory) {
        return sessions.questions().pending(directory.isEmpty() ? "" : ProjectRoot.normalise(directory).toString());
    }

    @Override
    public void replyQuestion(QuestionId id, QuestionReplyRequest reply) { sessions.questions().reply(id, reply); }

    @Override public List<Todo> todos(SessionId id) { return sessions.todos(id); }

    @Override
    public AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener) {
        EventFilter normalised = new EventFilter(filter.directory().map(d -> ProjectRoot.normalise(d).toString()), filter.session());
        return bus.subscribe(normalised, afterSeq, listener);
    }

    /** True while any session of this server runs a turn (the daemon's idle timer waits for this). */
    public boolean busy() { return sessions.anyRunning(); }

    public long lastSeq() { return bus.lastSeq(); }

    @Override
    public void close() { onClose.run(); }

    static Optional<String> none() { return Optional.empty(); }

    @Override public Map<SessionId, SessionStatus> statuses(String directory) { throw TODO(); }
    @Override public Session updateSession(SessionId id, UpdateSessionRequest request) { throw TODO(); }
    @Override public void deleteSession(SessionId id) { throw TODO(); }
    @Override public Session fork(SessionId id, ForkRequest request) { throw TODO(); }
    @Override public List<Session> children(SessionId id) { throw TODO(); }
    @Override public SessionUsage usage(SessionId id) { throw TODO(); }
    @Override public List<FileDiff> diff(SessionId id) { throw TODO(); }
    @Override public MessageWithParts shell(SessionId id, ShellRequest request) { throw TODO(); }
    @Override public CommandResult command(SessionId id, CommandRequest request) { throw TODO(); }
    @Override public SessionExport export(SessionId id) { throw TODO(); }
    @Override public Session importSession(SessionExport export) { throw TODO(); }
    @Override public List<AgentInfo> agents(String directory) { throw TODO(); }
    @Override public List<CommandInfo> commands(String directory) { throw TODO(); }
    @Override public List<ModelInfo> models(String directory) { throw TODO(); }
    @Override public List<ProviderInfo> providers(String directory) { throw TODO(); }
    @Override public RawJson config(String directory) { throw TODO(); }
    @Override public RawJson updateConfig(String directory, RawJson patch) { throw TODO(); }
    @Override public List<FileEntry> files(String directory, String path) { throw TODO(); }
    @Override public FileContent fileContent(String directory, String path) { throw TODO(); }
    @Override public List<String> findFiles(String directory, String query, int limit) { throw TODO(); }
    @Override public List<TextMatch> findText(String directory, String pattern, int limit) { throw TODO(); }
    @Override public void setAuth(String provider, AuthRequest request) { throw TODO(); }
    @Override public void removeAuth(String provider) { throw TODO(); }

    private static ApiException TODO() { return new ApiException(501, "not_implemented", "not implemented yet"); }
}
