package dev.lathe.protocol.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LspProblemInfo;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;

/**
 * Everything that happens in the server, past tense, wire {@code type} = {@code area.verb}. Adding a record
 * breaks every exhaustive switch over events until it is handled, which is the point.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Event.SessionCreated.class, name = "session.created"),
        @JsonSubTypes.Type(value = Event.SessionUpdated.class, name = "session.updated"),
        @JsonSubTypes.Type(value = Event.SessionDeleted.class, name = "session.deleted"),
        @JsonSubTypes.Type(value = Event.SessionStatusChanged.class, name = "session.status"),
        @JsonSubTypes.Type(value = Event.SessionErrored.class, name = "session.error"),
        @JsonSubTypes.Type(value = Event.SessionCompacted.class, name = "session.compacted"),
        @JsonSubTypes.Type(value = Event.MessageUpdated.class, name = "message.updated"),
        @JsonSubTypes.Type(value = Event.MessageRemoved.class, name = "message.removed"),
        @JsonSubTypes.Type(value = Event.PartUpdated.class, name = "message.part.updated"),
        @JsonSubTypes.Type(value = Event.PartRemoved.class, name = "message.part.removed"),
        @JsonSubTypes.Type(value = Event.PartDelta.class, name = "message.part.delta"),
        @JsonSubTypes.Type(value = Event.PermissionAsked.class, name = "permission.asked"),
        @JsonSubTypes.Type(value = Event.PermissionReplied.class, name = "permission.replied"),
        @JsonSubTypes.Type(value = Event.PermissionAutoDecided.class, name = "permission.auto"),
        @JsonSubTypes.Type(value = Event.QuestionAsked.class, name = "question.asked"),
        @JsonSubTypes.Type(value = Event.QuestionReplied.class, name = "question.replied"),
        @JsonSubTypes.Type(value = Event.TodoUpdated.class, name = "todo.updated"),
        @JsonSubTypes.Type(value = Event.FileEdited.class, name = "file.edited"),
        @JsonSubTypes.Type(value = Event.DiffUpdated.class, name = "diff.updated"),
        @JsonSubTypes.Type(value = Event.EditorRequested.class, name = "editor.requested"),
        @JsonSubTypes.Type(value = Event.ConfigUpdated.class, name = "config.updated"),
        @JsonSubTypes.Type(value = Event.ConfigErrored.class, name = "config.error"),
        @JsonSubTypes.Type(value = Event.McpStatusChanged.class, name = "mcp.status"),
        @JsonSubTypes.Type(value = Event.McpSignInFinished.class, name = "mcp.auth"),
        @JsonSubTypes.Type(value = Event.ProviderSignInFinished.class, name = "auth.signin"),
        @JsonSubTypes.Type(value = Event.SessionMcpStatusChanged.class, name = "session.mcp.status"),
        @JsonSubTypes.Type(value = Event.LspDiagnostics.class, name = "lsp.diagnostics"),
        @JsonSubTypes.Type(value = Event.LspStatusChanged.class, name = "lsp.status"),
        @JsonSubTypes.Type(value = Event.NetworkBlocked.class, name = "network.blocked"),
        @JsonSubTypes.Type(value = Event.ProcessStarted.class, name = "process.started"),
        @JsonSubTypes.Type(value = Event.ProcessOutput.class, name = "process.output"),
        @JsonSubTypes.Type(value = Event.ProcessExited.class, name = "process.exited"),
        @JsonSubTypes.Type(value = Event.ServerConnected.class, name = "server.connected"),
        @JsonSubTypes.Type(value = Event.ServerHeartbeat.class, name = "server.heartbeat"),
        @JsonSubTypes.Type(value = Event.Resync.class, name = "resync")})
public sealed interface Event {

    record SessionCreated(Session session) implements Event {}

    record SessionUpdated(Session session) implements Event {}

    record SessionDeleted(SessionId sessionId) implements Event {}

    record SessionStatusChanged(SessionId sessionId, SessionStatus status) implements Event {}

    /** A turn ended with an error (provider, permission, internal). */
    record SessionErrored(SessionId sessionId, MessageError error) implements Event {}

    /**
     * The session's context was compacted: old tool outputs pruned and, when that was not enough, earlier history
     * replaced by the summary in {@code summaryMessageId}. {@code auto}: on overflow rather than by {@code /compact}.
     * The full history stays stored and listed; only what the model is sent changes.
     */
    record SessionCompacted(SessionId sessionId, boolean auto, java.util.Optional<MessageId> summaryMessageId)
            implements Event {}

    record MessageUpdated(Message info) implements Event {}

    record MessageRemoved(SessionId sessionId, MessageId messageId) implements Event {}

    /** A part was created or changed; for tool parts a {@code completed} state is sent only after its row is committed. */
    /** {@code part} is never null: an event whose part this reader does not know does not read at all. */
    record PartUpdated(Part part) implements Event {
        public PartUpdated {
            java.util.Objects.requireNonNull(part, "a part of a kind this reader does not know");
        }
    }

    record PartRemoved(SessionId sessionId, MessageId messageId, PartId partId) implements Event {}

    /**
     * Text appended to a streaming part; {@code field} is {@code text} for text and reasoning parts. {@code offset} is
     * the field's length (UTF-16 units) before this delta: a client that loaded the part mid-stream appends only what
     * lies past the text it holds, and knows it missed some when the offset lies beyond it (-1: not known).
     */
    record PartDelta(SessionId sessionId, MessageId messageId, PartId partId, String field, String delta, int offset) implements Event {
        /** A delta whose offset is not known (a reader then appends it whole). */
        public PartDelta(SessionId sessionId, MessageId messageId, PartId partId, String field, String delta) {
            this(sessionId, messageId, partId, field, delta, -1);
        }
    }

    record PermissionAsked(PermissionRequest request) implements Event {}

    record PermissionReplied(SessionId sessionId, PermissionId permissionId, PermissionReply reply) implements Event {}

    /**
     * Auto-approval's classifier decided an ask in place of a person (DESIGN §31): {@code call} is the tool call's id,
     * {@code decision} {@code allow}, {@code deny}, {@code unavailable} (no usable answer in time: refused, not a policy
     * denial) or {@code ask} (handed back to a person after repeated denials); {@code reason} the classifier's one line
     * (or why it was not asked); {@code model} the classifier, {@code tokens} what its requests used, {@code ms} how long
     * the decision took.
     */
    record PermissionAutoDecided(SessionId sessionId, String call, String permission, java.util.List<String> patterns, String decision,
            String reason, String model, long tokens, long ms) implements Event {
        public PermissionAutoDecided {
            patterns = java.util.List.copyOf(patterns);
        }
    }

    record QuestionAsked(QuestionRequest request) implements Event {}

    /** {@code answered} is false when the questions were rejected (dismissed, or no one could answer). */
    record QuestionReplied(SessionId sessionId, QuestionId questionId, boolean answered) implements Event {}

    /** The session's whole todo list after a change. */
    record TodoUpdated(SessionId sessionId, java.util.List<Todo> todos) implements Event {}

    record FileEdited(SessionId sessionId, String path) implements Event {}

    /**
     * The session's diff may have changed (a file edited, a step's changes recorded, a command that may write ended):
     * a client showing it asks {@code GET /sessions/{id}/diff} again. Sent at most every 300 ms per session (decision 592).
     */
    record DiffUpdated(SessionId sessionId) implements Event {}

    /** A tool asks the editor attached to the session to read or write a file ({@code lathe acp}; answered over HTTP). */
    record EditorRequested(EditorRequest request) implements Event {}

    /**
     * A configuration file of the project at {@code folder} (a session folder, as sessions store it) changed and was
     * read again: the next step and prompt use it. Also sent when it becomes valid again after a {@link ConfigErrored}.
     * ({@code folder}, not {@code directory}: the envelope's {@code directory} shares the JSON object.)
     */
    record ConfigUpdated(String folder) implements Event {}

    /**
     * A configuration file of the project at {@code folder} changed and is invalid; {@code message} names the file, line
     * and key. Running turns keep the last good configuration; new prompts are refused until it is fixed.
     */
    record ConfigErrored(String folder, String message) implements Event {}

    /** An MCP server of the project at {@code folder} changed status (DESIGN §14); {@code server} is its status now. */
    record McpStatusChanged(String folder, McpServerInfo server) implements Event {}

    /**
     * An MCP server a client brought for session {@code sessionId} ({@code PUT /sessions/{id}/mcp}) changed status;
     * {@code server} is its status now.
     */
    record SessionMcpStatusChanged(SessionId sessionId, McpServerInfo server) implements Event {}

    /**
     * A sign-in to remote MCP server {@code server} of the project at {@code folder}, started by {@code POST
     * /mcp/{name}/auth}, ended: {@code signedIn}, or {@code error} saying why not (the browser never came back, a forged
     * redirect, the token exchange failed).
     */
    record McpSignInFinished(String folder, String server, boolean signedIn, java.util.Optional<String> error) implements Event {}

    /**
     * A subscription sign-in the server ran ({@code POST /auth/{provider}/sign-in}) ended: signed in (the provider's
     * models now use it), or not and why.
     */
    record ProviderSignInFinished(String provider, boolean signedIn, java.util.Optional<String> error) implements Event {}

    /**
     * A language server published the problems of {@code path} (relative to the project at {@code folder}; DESIGN §14):
     * all of them now, an empty list when the file is clean. The envelope's {@code directory} is the project folder too.
     */
    record LspDiagnostics(String folder, String path, java.util.List<LspProblemInfo> problems) implements Event {
        public LspDiagnostics {
            problems = java.util.List.copyOf(problems);
        }
    }

    /** A language server of the project at {@code folder} changed state; {@code server} is its status now ({@code GET /lsp}). */
    record LspStatusChanged(String folder, LspServerInfo server) implements Event {}

    /**
     * Local-only mode ({@code "network": "local"}) refused an outbound connection before it was made: {@code by} would
     * have contacted {@code host} ({@code catalog refresh}, {@code webfetch}, {@code mcp NAME}, {@code provider NAME},
     * {@code hook EVENT}) for the project at {@code folder} (empty: the server's own). Sent once per folder, host and
     * {@code by}; {@code lathe doctor} lists them too.
     */
    record NetworkBlocked(String folder, String host, String by) implements Event {}

    /** A background command started in the session (DESIGN §32). */
    record ProcessStarted(SessionId sessionId, ProcessInfo process) implements Event {}

    /** New output of a background command: its newest few KiB since the last such event (at most one per 200 ms). */
    record ProcessOutput(SessionId sessionId, String processId, String text) implements Event {}

    /** A background command ended: nothing of its tree runs any more ({@code process.state} says how it ended). */
    record ProcessExited(SessionId sessionId, ProcessInfo process) implements Event {}

    record ServerConnected() implements Event {}

    record ServerHeartbeat() implements Event {}

    /** The client missed events that are no longer buffered: refetch state. */
    record Resync() implements Event {}

    /** Session the event belongs to, if any; used to filter subscriptions. */
    static java.util.Optional<SessionId> sessionOf(Event event) {
        return java.util.Optional.ofNullable(switch (event) {
            case SessionCreated e -> e.session().id();
            case SessionUpdated e -> e.session().id();
            case SessionDeleted e -> e.sessionId();
            case SessionStatusChanged e -> e.sessionId();
            case SessionErrored e -> e.sessionId();
            case SessionCompacted e -> e.sessionId();
            case MessageUpdated e -> e.info().sessionId();
            case MessageRemoved e -> e.sessionId();
            case PartUpdated e -> e.part().sessionId();
            case PartRemoved e -> e.sessionId();
            case PartDelta e -> e.sessionId();
            case PermissionAsked e -> e.request().sessionId();
            case PermissionReplied e -> e.sessionId();
            case PermissionAutoDecided e -> e.sessionId();
            case QuestionAsked e -> e.request().sessionId();
            case QuestionReplied e -> e.sessionId();
            case TodoUpdated e -> e.sessionId();
            case FileEdited e -> e.sessionId();
            case DiffUpdated e -> e.sessionId();
            case EditorRequested e -> e.request().sessionId();
            case SessionMcpStatusChanged e -> e.sessionId();
            case ProcessStarted e -> e.sessionId();
            case ProcessOutput e -> e.sessionId();
            case ProcessExited e -> e.sessionId();
            case ConfigUpdated _, ConfigErrored _, McpStatusChanged _, McpSignInFinished _, ProviderSignInFinished _, LspDiagnostics _,
                    LspStatusChanged _, NetworkBlocked _, ServerConnected _, ServerHeartbeat _, Resync _ -> null;
        });
    }
}
