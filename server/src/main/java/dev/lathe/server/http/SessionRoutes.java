package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.ForkRequest;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ProjectFolder;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.api.RevertRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.api.StatusLineText;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import dev.lathe.protocol.wire.WireJson;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /sessions} routes of DESIGN §6, each translating HTTP to one {@link LatheApi} call; with them the answer
 * to a session's editor request ({@code POST /editor/{requestId}}).
 */
final class SessionRoutes {
    private final LatheApi api;
    private final SessionOwners owners;

    SessionRoutes(LatheApi api, SessionOwners owners) {
        this.api = api;
        this.owners = owners;
    }

    Router addTo(Router r) {
        return r
                .add(ApiRoute.SESSIONS, Rights.ANY_USER, RouteDoc.of("Sessions of one folder, newest first (every folder when directory is absent or empty)")
                        .query("directory").returnsList(Session.class), c -> c.json(200, api.sessions(c.directory().orElse(""))))
                .add(ApiRoute.BOARD, Rights.ANY_USER, RouteDoc.of("Every folder's sessions with status, context fill and failure, newest activity first")
                        .returnsList(SessionSummary.class), c -> c.json(200, api.board()))
                .add(ApiRoute.PROJECTS, Rights.ANY_USER, RouteDoc.of("Folders the server knows: with sessions, or trusted")
                        .returnsList(ProjectFolder.class), c -> c.json(200, api.projects()))
                .add(ApiRoute.SESSION_CREATE, Rights.ANY_USER, RouteDoc.of("Create a session").body(CreateSessionRequest.class)
                        .returns(201, new RouteDoc.Shape.One(Session.class)), this::create)
                .add(ApiRoute.SESSION_STATUSES, Rights.ANY_USER, RouteDoc.of("Sessions that are not idle, by id (every folder when directory is empty)")
                        .query("directory").returns(200, new RouteDoc.Shape.MapOf(SessionStatus.class)), this::statuses)
                .add(ApiRoute.SESSION_IMPORT, Rights.ANY_USER, RouteDoc.of("Store an exported session under its own ids").body(SessionExport.class)
                        .returns(201, new RouteDoc.Shape.One(Session.class)),
                        c -> c.json(201, owners.own(c, api.importSession(owners.checkImport(c, body(c, SessionExport.class))))))
                .add(ApiRoute.HISTORY_IMPORT, Rights.LOCAL_OWNER, RouteDoc.of("List or import another harness's sessions (claude-code, opencode, codex) "
                        + "from the node user's own folders")
                        .body(HistoryImportRequest.class).returns(HistoryImportResult.class),
                        c -> c.json(200, owners.ownImported(c, api.importHistory(body(c, HistoryImportRequest.class)))))
                .add(ApiRoute.SESSION, Rights.ANY_USER, RouteDoc.of("One session").returns(Session.class), c -> c.json(200, api.session(id(c))))
                .add(ApiRoute.SESSION_UPDATE, Rights.SESSION_OWNER, RouteDoc.of("Rename, archive or unarchive").body(UpdateSessionRequest.class).returns(Session.class),
                        c -> c.json(200, api.updateSession(id(c), RequestShape.check(body(c, UpdateSessionRequest.class)))))
                .add(ApiRoute.SESSION_DELETE, Rights.SESSION_OWNER, RouteDoc.of("Abort and delete a session with its children"), c -> {
                    api.deleteSession(id(c));
                    c.json(200, Map.of());
                })
                .add(ApiRoute.SESSION_MESSAGES, Rights.ANY_USER, RouteDoc.of("Visible messages with their parts, oldest first: all of them, or with "
                        + "limit (1 to " + MessagePage.MAX_LIMIT + ") the newest limit older than the message before (the newest when absent); "
                        + "the " + MessagePage.MORE_HEADER + " header then says whether older ones exist (true or false)")
                        .query("limit", "before").returnsList(MessageWithParts.class), this::messages)
                .add(ApiRoute.SESSION_STATUS, Rights.ANY_USER, RouteDoc.of("What the session is doing").returns(SessionStatus.class),
                        c -> c.json(200, api.status(id(c))))
                .add(ApiRoute.SESSION_PROMPT, Rights.SESSION_OWNER, RouteDoc.of("Store a prompt and run (or queue) the turn").body(PromptRequest.class)
                        .returns(202, new RouteDoc.Shape.One(PromptAccepted.class)),
                        c -> c.json(202, client(c).prompt(id(c), RequestShape.check(body(c, PromptRequest.class)))))
                .add(ApiRoute.SESSION_ABORT, Rights.SESSION_OWNER, RouteDoc.of("Abort the running turn"), c -> {
                    api.abort(id(c));
                    c.json(200, Map.of());
                })
                .add(ApiRoute.SESSION_COMMAND, Rights.SESSION_OWNER, RouteDoc.of("Run a slash command").body(CommandRequest.class).returns(CommandResult.class),
                        c -> c.json(200, client(c).command(id(c), RequestShape.check(body(c, CommandRequest.class)))))
                .add(ApiRoute.SESSION_SHELL, Rights.SESSION_OWNER, RouteDoc.of("Run a command of the user's into the transcript").body(ShellRequest.class)
                        .returns(MessageWithParts.class), c -> c.json(200, client(c).shell(id(c), RequestShape.check(body(c, ShellRequest.class)))))
                .add(ApiRoute.SESSION_FORK, Rights.SESSION_OWNER, RouteDoc.of("Copy the session up to a message into a new one").body(ForkRequest.class)
                        .returns(201, new RouteDoc.Shape.One(Session.class)), this::fork)
                .add(ApiRoute.SESSION_REVERT, Rights.SESSION_OWNER, RouteDoc.of("Restore files to before a message and hide it and later ones")
                        .body(RevertRequest.class).returns(RevertResult.class), c -> {
                    var request = body(c, RevertRequest.class);
                    c.json(200, api.revert(id(c), RequestShape.revertTarget(request.messageId())));
                })
                .add(ApiRoute.SESSION_UNREVERT, Rights.SESSION_OWNER, RouteDoc.of("Undo the revert").returns(RevertResult.class), c -> c.json(200, api.unrevert(id(c))))
                .add(ApiRoute.SESSION_UNDO, Rights.SESSION_OWNER, RouteDoc.of("Revert the last turn").returns(RevertResult.class), c -> c.json(200, api.undo(id(c))))
                .add(ApiRoute.SESSION_REDO, Rights.SESSION_OWNER, RouteDoc.of("Restore what undo reverted").returns(RevertResult.class), c -> c.json(200, api.redo(id(c))))
                .add(ApiRoute.SESSION_REWIND, Rights.SESSION_OWNER, RouteDoc.of("Go back to just before a user message: its files, its conversation or both")
                        .body(RewindRequest.class).returns(RewindResult.class), c -> c.json(200, api.rewind(id(c), RequestShape.check(body(c, RewindRequest.class)))))
                .add(ApiRoute.SESSION_COMPACT, Rights.SESSION_OWNER, RouteDoc.of("Compact the context now: prune old tool outputs, summarise all but the last turns")
                        .returns(CommandResult.class), c -> c.json(200, api.compact(id(c))))
                .add(ApiRoute.SESSION_CHILDREN, Rights.ANY_USER, RouteDoc.of("Child sessions with their status (a background task's: running, "
                        + "completed, failed, cancelled), oldest first").returnsList(ChildSession.class), c -> c.json(200, api.childSessions(id(c))))
                .add(ApiRoute.BACKGROUND_TASKS, Rights.ANY_USER, RouteDoc.of("The running background tasks of every session, oldest first")
                        .returnsList(ChildSession.class), c -> c.json(200, api.backgroundTasks()))
                .add(ApiRoute.SESSION_TODO, Rights.ANY_USER, RouteDoc.of("The session's todo list").returnsList(Todo.class), c -> c.json(200, api.todos(id(c))))
                .add(ApiRoute.SESSION_TODOS, Rights.ANY_USER, RouteDoc.of("Same as /todo").returnsList(Todo.class), c -> c.json(200, api.todos(id(c))))
                .add(ApiRoute.SESSION_DIFF, Rights.ANY_USER, RouteDoc.of("The session's diff, one entry per changed file with its unified diff and "
                        + "added/removed line counts (binary files named without a patch, a patch over " + FileDiff.MAX_PATCH_CHARS + " characters cut): "
                        + "scope turn (the current or last turn), session (default: everything the session changed), uncommitted (git's working "
                        + "tree against HEAD, untracked files included) or branch (against the merge base with the default branch), in the "
                        + "session's folder (its worktree); files in path order, every one, or with limit (1 to " + DiffPage.MAX_LIMIT + ") those "
                        + "after the path after; the " + MessagePage.MORE_HEADER + " header says whether more follow (true or false)")
                        .query("scope", "limit", "after").returnsList(FileDiff.class), this::diff)
                .add(ApiRoute.SESSION_USAGE, Rights.ANY_USER, RouteDoc.of("Tokens and cost, in total and per message").returns(SessionUsage.class),
                        c -> c.json(200, api.usage(id(c))))
                // runs the folder's status line command: the session's owner only
                .add(ApiRoute.SESSION_STATUS_LINE, Rights.SESSION_OWNER, RouteDoc.of("The first line the status line command prints for the session")
                        .returns(StatusLineText.class), c -> c.json(200, api.statusLine(id(c))))
                .add(ApiRoute.SESSION_CACHE, Rights.ANY_USER, RouteDoc.of("Each request's cache figures and the prompt block that broke the cached prefix")
                        .returns(CacheReport.class), c -> c.json(200, api.cache(id(c))))
                .add(ApiRoute.SESSION_CONTEXT, Rights.ANY_USER, RouteDoc.of("What fills the context window, block by block").returns(ContextReport.class),
                        c -> c.json(200, api.context(id(c))))
                .add(ApiRoute.SESSION_MCP, Rights.ANY_USER, RouteDoc.of("The MCP servers the client brought for the session, with their status now")
                        .returnsList(McpServerInfo.class), c -> c.json(200, api.sessionMcp(id(c))))
                .add(ApiRoute.SESSION_MCP_SET, Rights.SESSION_OWNER, RouteDoc.of("Replace the MCP servers the client brings for the session (an empty list "
                        + "removes them); their statuses").body(SessionMcpRequest.class)
                        .returnsList(McpServerInfo.class),
                        c -> c.json(200, api.setSessionMcp(id(c), RequestShape.check(body(c, SessionMcpRequest.class)))))
                .add(ApiRoute.SESSION_EXPORT, Rights.ANY_USER, RouteDoc.of("The whole session as one document").returns(SessionExport.class),
                        c -> c.json(200, api.export(id(c))))
                .add(ApiRoute.SESSION_EXPORT_HARNESS, Rights.LOCAL_OWNER, RouteDoc.of("Write the session into another harness's own storage (claude-code, "
                        + "opencode) in the node user's own folders, so that harness continues it").body(HarnessExportRequest.class)
                        .returns(HarnessExportResult.class), c -> c.json(200, client(c).exportTo(id(c), body(c, HarnessExportRequest.class))))
                .add(ApiRoute.SESSION_EDITOR_ATTACH, Rights.SESSION_OWNER, RouteDoc.of("Attach the calling client as the session's editor: the file tools ask it "
                        + "(editor.requested events, answered with POST /editor/{requestId})").body(EditorAttachRequest.class)
                        .returns(EditorAttachment.class), c -> c.json(200, api.attachEditor(id(c), RequestShape.check(body(c, EditorAttachRequest.class)))))
                .add(ApiRoute.SESSION_EDITOR_DETACH, Rights.SESSION_OWNER, RouteDoc.of("End the session's editor attachment (only if it is still the one "
                        + "named by attachment, when given): files go to disk again").query("attachment"), c -> {
                    var attachment = c.query("attachment").filter(a -> !a.isBlank());
                    if (attachment.isPresent()) api.detachEditor(id(c), attachment.get());
                    else api.detachEditor(id(c));
                    c.json(200, Map.of());
                })
                .add(ApiRoute.EDITOR_REQUEST, Rights.ANY_USER, RouteDoc.of("A waiting editor request with the content of a write (its "
                        + "editor.requested event carries only the size); 404 once answered or timed out")
                        .returns(EditorRequest.class), c -> c.json(200, api.editorRequest(c.param("requestId"))))
                .add(ApiRoute.EDITOR_ANSWER, Rights.EDITOR_OWNER, RouteDoc.of("Answer an editor.requested event: content (read), ok (write) or error")
                        .body(EditorAnswer.class), c -> {
                    api.answerEditor(c.param("requestId"), RequestShape.check(body(c, EditorAnswer.class)));
                    c.json(200, Map.of());
                });
    }

    private void create(Call c) throws IOException {
        ObjectNode body = c.jsonObject();
        if (!body.hasNonNull("directory")) c.directory().ifPresent(d -> body.put("directory", d));
        var request = owners.checkCreate(c, RequestShape.check(Call.convert(body, CreateSessionRequest.class)));
        c.json(201, owners.own(c, client(c).createSession(request)));
    }

    /**
     * The API as the calling client sees it: with the environment the {@link Dispatcher} honoured for it (the node's own
     * user's config and keys for the sessions it creates and prompts), the server's own otherwise. Never logged.
     */
    private LatheApi client(Call c) {
        return ClientEnvironments.view(api, c);
    }

    /** Without {@code limit} the whole visible history (scripts and {@code lathe export} rely on it), else one page. */
    private void messages(Call c) throws IOException {
        Optional<String> limit = c.query("limit");
        Optional<String> before = c.query("before");
        if (limit.isEmpty()) {
            if (before.isPresent()) throw new LatheException.InvalidInput("query parameter 'before' needs 'limit'");
            c.json(200, api.messages(id(c)));
            return;
        }
        int size;
        try {
            size = Integer.parseInt(limit.get().strip());
        } catch (NumberFormatException e) {
            throw new LatheException.InvalidInput("query parameter 'limit' must be a whole number from 1 to " + MessagePage.MAX_LIMIT
                    + ", not '" + limit.get() + "'");
        }
        Optional<MessageId> from = before.map(String::strip).filter(b -> !b.isEmpty()).map(SessionRoutes::messageId);
        MessagePage page = api.messages(id(c), MessagePage.checkLimit(size), from);
        c.exchange().getResponseHeaders().set(MessagePage.MORE_HEADER, Boolean.toString(page.more()));
        c.json(200, page.messages());
    }

    /** The page the query asks; a bad scope or limit is a 400 naming what is allowed. */
    private void diff(Call c) throws IOException {
        DiffScope scope = c.query("scope").filter(q -> !q.isBlank()).map(DiffScope::parse).orElse(DiffScope.SESSION);
        OptionalInt limit = OptionalInt.empty();
        if (c.query("limit").isPresent()) {
            String raw = c.query("limit").get();
            try {
                limit = OptionalInt.of(DiffPage.checkLimit(Integer.parseInt(raw.strip())));
            } catch (NumberFormatException e) {
                throw new LatheException.InvalidInput("query parameter 'limit' must be a whole number from 1 to " + DiffPage.MAX_LIMIT + ", not '" + raw + "'");
            }
        }
        DiffPage page = api.diff(id(c), new DiffQuery(scope, limit, c.query("after").filter(a -> !a.isEmpty())));
        c.exchange().getResponseHeaders().set(MessagePage.MORE_HEADER, Boolean.toString(page.more()));
        c.json(200, page.files());
    }

    private static MessageId messageId(String raw) {
        try {
            return new MessageId(raw);
        } catch (IllegalArgumentException e) {
            throw new LatheException.InvalidInput("query parameter 'before' is not a message id: " + e.getMessage());
        }
    }

    private void statuses(Call c) throws IOException {
        var out = new TreeMap<String, SessionStatus>();
        api.statuses(c.directory().orElse("")).forEach((id, status) -> out.put(id.value(), status));
        // written for the declared value type: a plain write of the map loses each status's "type"
        c.writtenJson(200, WireJson.mapper().writerFor(new TypeReference<Map<String, SessionStatus>>() {}).writeValueAsString(out));
    }

    private void fork(Call c) throws IOException {
        SessionId id = id(c);
        // the body is optional: no body forks the whole session
        ForkRequest request = c.header("Content-Length").filter(l -> !l.strip().equals("0")).isPresent()
                ? body(c, ForkRequest.class) : ForkRequest.ALL;
        if (request.messageId() == null) request = ForkRequest.ALL;
        c.json(201, owners.own(c, api.fork(id, request)));
    }

    private static <T> T body(Call c, Class<T> type) throws IOException {
        return Call.convert(c.jsonObject(), type);
    }

    private static SessionId id(Call c) {
        return c.id("id", SessionId::new);
    }
}
