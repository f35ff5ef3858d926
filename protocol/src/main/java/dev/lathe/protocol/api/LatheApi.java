package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.RawJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations every client needs, with the same meaning in process (the server's own implementation) and over
 * HTTP (the client module). Every method may throw a {@link LatheException} case for a request it refuses; none blocks on a
 * running turn: {@link #prompt} returns as soon as the user message is stored and progress arrives as events.
 */
public interface LatheApi extends AutoCloseable {
    /**
     * This API for a client whose environment is {@code environment} ({@link ClientEnvironment}): the sessions it creates
     * and prompts use that client's {@code LATHE_CONFIG}, {@code LATHE_CONFIG_CONTENT} and keys. Over HTTP the result
     * sends them with every request; in the server it holds them in memory for those sessions.
     */
    LatheApi withEnvironment(ClientEnvironment environment);

    Session createSession(CreateSessionRequest request);

    /** Sessions of one project folder (empty string: every folder), newest first; archived ones are left out. */
    List<Session> sessions(String directory);

    /** The session board: every folder's sessions (children included) with status, context fill and failure, newest first. */
    List<SessionSummary> board();

    /** The folders the server knows: those with sessions and those the user trusted, most recently active first. */
    List<ProjectFolder> projects();

    Session session(SessionId id);

    SessionStatus status(SessionId id);

    /** Sessions of one folder (empty string: every folder) that are not idle; a session missing here is idle. */
    Map<SessionId, SessionStatus> statuses(String directory);

    /**
     * Each session's recorded owner on a team server with accounts (DESIGN §20, {@code GET /owners}); a session not
     * listed belongs to its parent's owner. Empty without accounts: the embedded core has none.
     */
    default Map<SessionId, String> owners() {
        return Map.of();
    }

    /**
     * Who the server takes this caller for (DESIGN §20 "Users", {@code GET /me}): on a team server, whose sessions it may
     * prompt and answer. Empty from the embedded core, which has one user.
     */
    default Optional<CallerInfo> me() {
        return Optional.empty();
    }

    /** Renames, archives or unarchives; publishes {@code session.updated}. */
    Session updateSession(SessionId id, UpdateSessionRequest request);

    /** Aborts a running turn, then deletes the session, its messages and its child sessions for good. */
    void deleteSession(SessionId id);

    /** A new session in the same folder with copies of the messages before {@code request.messageId()}. */
    Session fork(SessionId id, ForkRequest request);

    /** Sessions whose {@code parentId} is {@code id}, oldest first. */
    default List<Session> children(SessionId id) {
        return childSessions(id).stream().map(ChildSession::session).toList();
    }

    /**
     * As {@link #children}, each with its status (a background task's: running, completed, failed or cancelled; DESIGN
     * §18 "Background subagents"): what {@code GET /sessions/{id}/children} answers.
     */
    List<ChildSession> childSessions(SessionId id);

    /** The running background tasks of every session, oldest first ({@code lathe agents}). */
    List<ChildSession> backgroundTasks();

    SessionUsage usage(SessionId id);

    /** The status line's first line for the session, run now (DESIGN §27); empty text when there is none. */
    StatusLineText statusLine(SessionId id);

    /**
     * The session's requests in order with their cache figures and, where the cached prompt prefix broke, the block
     * that changed first (compared by the hashes each request recorded).
     */
    CacheReport cache(SessionId id);

    /**
     * What fills the context window: the next request built from the session as it is now, estimated block by block,
     * beside the last request's reported size.
     */
    ContextReport context(SessionId id);

    /** Tokens, cost and cache hit ratio of every session of one project folder, in total and per model. */
    ProjectStats stats(String directory);

    /** Files the session changed, from before its first change to now, unpaged. */
    default List<FileDiff> diff(SessionId id) {
        return diff(id, DiffQuery.SESSION).files();
    }

    /**
     * One page of the session's diff of {@code query}'s scope (DESIGN §32): the turn's or the session's changes from
     * Lathe's snapshots, or git's uncommitted or branch changes in the session's folder (its worktree).
     */
    DiffPage diff(SessionId id, DiffQuery query);

    /**
     * Runs a command the user typed (not the model) in the project folder and records it and its output in the
     * transcript, so the model sees it on the next prompt. Blocks until the command ends; refused while busy.
     */
    MessageWithParts shell(SessionId id, ShellRequest request);

    /** Runs a slash command ({@code undo}, {@code redo}, ...); see {@link #commands} for the list. */
    CommandResult command(SessionId id, CommandRequest request);

    /** The whole session, hidden (reverted) messages included. */
    SessionExport export(SessionId id);

    /** Stores an exported session under its own ids; 409 when a session with that id exists. */
    Session importSession(SessionExport export);

    /** Other harnesses' sessions (DESIGN §21): lists what {@code request} selects, and imports it unless it only lists. */
    HistoryImportResult importHistory(HistoryImportRequest request);

    /**
     * Writes the session (what its model is sent now, with its subagents') into another harness's own storage (DESIGN
     * §27) so that harness continues it; nothing is written when the harness, its storage or the folder is unknown.
     */
    HarnessExportResult exportTo(SessionId id, HarnessExportRequest request);

    List<MessageWithParts> messages(SessionId id);

    /**
     * The newest {@code limit} visible messages older than {@code before} (the newest when empty), oldest first, and
     * whether older ones exist: what a client shows first when it opens a big session, and each page above it.
     *
     * @throws LatheException.InvalidInput when {@code limit} is outside 1..{@link MessagePage#MAX_LIMIT} or
     *     {@code before} is not a message of the session
     */
    MessagePage messages(SessionId id, int limit, java.util.Optional<MessageId> before);

    PromptAccepted prompt(SessionId id, PromptRequest request);

    void abort(SessionId id);

    /**
     * Restores the project's files to before {@code messageId} and hides that message and every later one, until
     * {@link #unrevert} or the next prompt (which drops them for good). Refused while the session is busy.
     */
    RevertResult revert(SessionId id, MessageId messageId);

    /** Puts the files back as they were before the revert and shows the hidden messages again. */
    RevertResult unrevert(SessionId id);

    /** Reverts the last turn: every file change since the last (visible) user message. */
    RevertResult undo(SessionId id);

    /** Undoes the revert: the same as {@link #unrevert}. */
    RevertResult redo(SessionId id);

    /**
     * Goes back to just before a user message (DESIGN §18 "Rewind"): its files, its conversation or both. Refused while
     * the session is busy, and (409, naming them) when files changed outside the agent since then and the request does
     * not say whether to restore them.
     */
    RewindResult rewind(SessionId id, RewindRequest request);

    /**
     * Compacts the session's context now (DESIGN §12): old tool outputs pruned and the history before the last turns
     * summarised; {@code messageId} of the result is the summary message. Blocks until the summary is written; 409
     * while a turn runs. The full history stays stored.
     */
    CommandResult compact(SessionId id);

    /** Asks waiting for an answer, in one folder or (empty string) everywhere. */
    List<PermissionRequest> permissions(String directory);

    void replyPermission(PermissionId id, PermissionReplyRequest reply);

    /**
     * The folder's remembered "always" answers (DESIGN §10): the project-wide ones, kept across restarts, then the
     * session-wide ones of its sessions, kept while the server runs.
     */
    List<RememberedApproval> approvals(String directory);

    /**
     * Forgets the folder's remembered answer {@code id} (from {@link #approvals}); it no longer applies from the next
     * tool call, also in a running turn. Returns what was forgotten.
     * @throws LatheException.NotFound when the folder has no such answer
     */
    RememberedApproval revokeApproval(String directory, String id);

    /** Questions waiting for an answer, in one folder or (empty string) everywhere. */
    List<QuestionRequest> questions(String directory);

    void replyQuestion(QuestionId id, QuestionReplyRequest reply);

    /**
     * Attaches the calling client as the editor of session {@code id} (DESIGN §18, {@code lathe acp}): from now on its
     * {@code read}, {@code edit}, {@code write} and {@code apply_patch} calls ask it for a file's text and hand it their
     * writes, for the operations {@code request} offers, through {@code editor.requested} events the client answers with
     * {@link #answerEditor} within {@link dev.lathe.protocol.event.EditorRequest#TIMEOUT_SECONDS} seconds. Replaces an
     * earlier attachment of the session. The client must hold an event subscription that carries the session's events:
     * the attachment ends when none is open any more.
     *
     * @throws LatheException.NotFound when there is no such session
     * @throws LatheException.InvalidInput when {@code request} offers neither operation
     */
    EditorAttachment attachEditor(SessionId id, EditorAttachRequest request);

    /** Ends the session's editor attachment, if any: its files are read and written on disk again. */
    void detachEditor(SessionId id);

    /**
     * Ends the session's editor attachment if it is still {@code attachmentId} (from {@link #attachEditor}): a client
     * closing its own attachment never ends the one another client made since.
     */
    void detachEditor(SessionId id, String attachmentId);

    /**
     * Editor request {@code requestId} while it waits for its answer, with the {@code content} of a write (its
     * {@code editor.requested} event carries only the size).
     *
     * @throws LatheException.NotFound when no such request is waiting (answered, timed out or never made)
     */
    EditorRequest editorRequest(String requestId);

    /**
     * Answers {@code editor.requested} event {@code requestId}.
     *
     * @throws LatheException.NotFound when no such request is waiting (answered, timed out or never made)
     * @throws LatheException.InvalidInput when the answer is not exactly one of {@code content}, {@code ok: true} and
     *                                     {@code error}, or does not fit the operation
     */
    void answerEditor(String requestId, EditorAnswer answer);

    /** Agents sessions in {@code directory} can use. */
    List<AgentInfo> agents(String directory);

    /**
     * The permission modes a prompt in {@code directory} may ask for ({@link PromptRequest#mode}), in the order clients
     * cycle them, and the one sessions start in (DESIGN §31).
     */
    ModesInfo modes(String directory);

    /** Slash commands available in {@code directory}: the built-in ones, then the project's and the user's files. */
    List<CommandInfo> commands(String directory);

    /** Skills the model can load in {@code directory}, sorted by name. */
    List<SkillInfo> skills(String directory);

    /** The MCP servers configured for {@code directory} with their status now, in configuration order (opens the folder). */
    List<McpServerInfo> mcp(String directory);

    /**
     * The MCP servers the client brought for session {@code id} ({@link #setSessionMcp}) with their status now, in the
     * order given; empty when it brought none.
     *
     * @throws LatheException.NotFound when there is no such session
     */
    List<McpServerInfo> sessionMcp(SessionId id);

    /**
     * Replaces the MCP servers the client brings for session {@code id} (ACP's {@code mcpServers}; an empty list
     * removes them) and answers their statuses. They start in the background; the tools of those that connect join that
     * session's turns (and no other session's) beside the project's servers', a project server of the same name hidden
     * for it. They run in untrusted folders too (the caller holds the server's token), stop when replaced, when the
     * session is deleted, when its project instance closes and when the server stops; each status change is the
     * {@code session.mcp.status} event. A server that fails is reported there and never fails a turn.
     *
     * @throws LatheException.InvalidInput when the request is malformed ({@link RequestShape#check(SessionMcpRequest)})
     * @throws LatheException.NotFound when there is no such session
     */
    List<McpServerInfo> setSessionMcp(SessionId id, SessionMcpRequest request);

    /**
     * The language servers of {@code directory} with their state now (DESIGN §14; opens the folder, starts none): every
     * server found for it, started or not; empty when {@code lsp} is off or none is installed.
     */
    List<LspServerInfo> lsp(String directory);

    /**
     * The connections local-only mode refused that concern {@code directory} (decision 120): the folder's own and the
     * server's (folder empty), oldest first, each once; every folder's when {@code directory} is empty. The server keeps
     * the newest 200. A client that attaches after the {@code network.blocked} events were sent learns them here.
     * Opens nothing.
     *
     * @throws LatheException.InvalidInput when {@code directory} is not empty and not an existing absolute folder
     */
    List<BlockedConnection> blockedConnections(String directory);

    /**
     * The hooks that fire in {@code directory} (DESIGN §14), in configuration order, and those an untrusted folder
     * defines that are skipped until {@code lathe trust}.
     */
    HookListing hooks(String directory);

    /**
     * The instruction files that reach the model in {@code directory} and why, the rules that join when a matching file
     * is touched, and what was named but not read (DESIGN §27, {@code /memory}).
     */
    MemoryListing memory(String directory);

    /**
     * Restarts MCP server {@code name} of {@code directory} now (a failed or {@code needs_auth} one is retried at once, a
     * connected one reconnected) and answers its status; opens the folder.
     *
     * @throws LatheException.NotFound when the folder configures no server of that name
     * @throws LatheException.InvalidInput when it is disabled
     */
    McpServerInfo restartMcp(String directory, String name);

    /**
     * Starts the OAuth sign-in to remote MCP server {@code name} of {@code directory} in the server and answers the URL
     * the user opens; the flow completes when the browser's redirect reaches the server's loopback listener, then the
     * MCP server is restarted. How it ended is the {@code mcp.auth} event.
     *
     * @throws LatheException.NotFound when the folder configures no server of that name
     * @throws LatheException.InvalidInput when it is local or has {@code "oauth": false}
     * @throws LatheException.Unavailable when the sign-in could not start (discovery or registration failed)
     */
    McpSignInStarted signInMcp(String directory, String name);

    /**
     * Starts signing in to {@code provider}'s subscription (ChatGPT Plus/Pro for {@code openai}, GitHub Copilot for
     * {@code github-copilot}) in the server, with the {@code oauth} settings of {@code directory}'s configuration, and
     * answers what the user must open (and the code to type, for a device code: always for Copilot, for ChatGPT when
     * {@code device}). The tokens are saved in the server's key file; how it ended is the {@code auth.signin} event.
     *
     * @throws LatheException.InvalidInput when the provider has no subscription sign-in
     * @throws LatheException.Unavailable when the sign-in could not start (the authorization server unreachable)
     */
    ProviderSignInStarted signInProvider(String directory, String provider, boolean device);

    /**
     * The resources and resource templates of {@code directory}'s connected MCP servers, for completing
     * {@code @server:uri} (a prompt attaches a resource it mentions so); never waits on a server.
     */
    List<McpResourceInfo> mcpResources(String directory);

    /** Models of the catalog and of the providers configured for {@code directory}. */
    List<ModelInfo> models(String directory);

    /**
     * The models of one provider (empty for a provider nobody knows): what a client needs for one model's limits. The
     * whole list is thousands of entries, over a MiB of JSON, which the terminal UI used to fetch before its first frame.
     */
    List<ModelInfo> models(String directory, String provider);

    List<ProviderInfo> providers(String directory);

    /** The merged configuration of {@code directory} as JSON, every secret replaced by {@code "***"}. */
    RawJson config(String directory);

    /**
     * Merges {@code patch} (a JSON object; {@code null} removes a key) into the project's {@code .lathe/lathe.json}
     * and answers the new merged configuration. 422 when the result is not a valid configuration.
     */
    RawJson updateConfig(String directory, RawJson patch);

    /**
     * The folder's trust and what it defines that was skipped because it is not trusted (DESIGN §14): clients warn with
     * it, and ask once.
     */
    TrustInfo trust(String directory);

    /** Records the user's answer for the folder ({@link TrustRequest}); it applies from the next prompt. */
    TrustInfo setTrust(String directory, TrustRequest request);

    /** The entries of one folder of the project ({@code path} relative to it; empty for the root). */
    List<FileEntry> files(String directory, String path);

    /** One project file; 404 when missing, 413 above the size cap. */
    FileContent fileContent(String directory, String path);

    /** Project files whose path fuzzy-matches {@code query}, best first, at most {@code limit}. */
    List<String> findFiles(String directory, String query, int limit);

    /** Lines of project files matching the regular expression {@code pattern}, at most {@code limit}. */
    List<TextMatch> findText(String directory, String pattern, int limit);

    /** Stores a provider key for later runs (as {@code lathe auth login} does). */
    void setAuth(String provider, AuthRequest request);

    void removeAuth(String provider);

    /** The sessions' background commands (DESIGN §32): listed, read, typed into, ended. */
    ProcessApi processes();

    /** The session's todo list (empty when the model never wrote one). */
    List<Todo> todos(SessionId id);

    /**
     * Streams events matching {@code filter} with {@code seq > afterSeq} (0 = only new ones) until the returned
     * subscription is closed. A {@code resync} event tells the listener that events were lost.
     */
    AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener);

    /**
     * Creates a git worktree of the repository at {@code request.directory()} for a new session (DESIGN §19):
     * {@code REPO/.lathe/worktrees/NAME} on a new branch {@code lathe/NAME}; a session created with its path as
     * directory runs in it.
     *
     * @throws LatheException.InvalidInput for a folder outside git or a bad name
     * @throws LatheException.Conflict when the name or its branch exists
     */
    WorktreeInfo createWorktree(WorktreeCreateRequest request);

    /** The worktrees of the repository holding {@code directory}, with their status now. */
    List<WorktreeInfo> worktrees(String directory);

    /** A session in worktree {@code name} ended: it is removed with its branch when unchanged, else kept. */
    WorktreeEnd endWorktree(String directory, String name);

    /**
     * Merges worktree {@code name}'s branch into the main checkout's current branch.
     *
     * @throws LatheException.Conflict when the main checkout is dirty or the merge conflicts (then aborted: nothing changes)
     */
    WorktreeMerge mergeWorktree(String directory, String name);

    /** Removes a worktree and its branch; a dirty or unmerged one only when forced. */
    WorktreeInfo removeWorktree(WorktreeRemoveRequest request);

    /**
     * Adds a cron schedule (DESIGN §18 "Schedules"): its message runs as a new session in its folder (or as a fleet task
     * of its repository) at each due time, once across a team server's nodes.
     *
     * @throws LatheException.InvalidInput naming the field of a bad cron expression, a bad zone, or a folder that is not one
     */
    default ScheduleInfo addSchedule(ScheduleRequest request) {
        throw new LatheException.InvalidInput("this server keeps no schedules");
    }

    /** The schedules the caller may see: on a team server, a user's own (an admin's: everyone's). */
    default List<ScheduleInfo> schedules() {
        return List.of();
    }

    /**
     * Removes a schedule; a run it started goes on.
     *
     * @throws LatheException.NotFound when there is no such schedule
     */
    default void removeSchedule(String id) {
        throw new LatheException.NotFound("no schedule " + id);
    }

    /**
     * This node's metrics in Prometheus's text format 0.0.4 (DESIGN §34, {@code GET /metrics}): queue depth, running
     * turns, leases held, turn and step latency, tokens, errors. Counts and durations only: no prompt, path or key.
     *
     * @throws LatheException.NotFound when this API keeps none (a client of another server)
     */
    default String metrics() {
        throw new LatheException.NotFound("no metrics here");
    }

    /**
     * Drains this node (DESIGN §34, {@code POST /admin/drain}): it takes no new turn, its running turns finish within
     * the config's {@code drain.seconds} or are stopped, their sessions' leases are released for another node, and the
     * server exits. Asked again while it drains, it answers as it stands (one drain).
     *
     * @throws LatheException.Conflict when this server is no team node (one process: {@code lathe stop} stops it)
     * @throws LatheException.NotFound when this API drains nothing (a client of another server)
     */
    default DrainStarted drain() {
        throw new LatheException.NotFound("no drain here");
    }

    /** Whether this node drains ({@code GET /health}'s {@code draining}): it takes no new turn and is about to stop. */
    default boolean draining() {
        return false;
    }

    /**
     * An agent team (DESIGN §18 "Agent teams"): members with their sessions and statuses, the task list, the newest
     * messages.
     *
     * @throws LatheException.NotFound when there is no such team
     */
    default TeamInfo team(String id) {
        throw new LatheException.NotFound("no team " + id);
    }

    /**
     * The agent team session {@code id} leads or is a member of, as {@link #team} answers it: what the TUI's {@code /team}
     * and the web's session page show.
     *
     * @throws LatheException.NotFound when the session is in no team
     */
    default TeamInfo sessionTeam(SessionId id) {
        throw new LatheException.NotFound("session " + id.value() + " is in no agent team");
    }

    @Override
    void close();
}
