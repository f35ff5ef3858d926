package dev.lathe.server.http;

import dev.lathe.protocol.api.BlockedConnection;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes about a project folder and the user rather than one session: pending asks and questions, agents,
 * commands, skills, hooks, MCP servers, models, providers, trust, configuration, files, search, usage stats and stored keys (DESIGN §6).
 */
final class ProjectRoutes {
    static final int DEFAULT_FIND_LIMIT = 50;
    static final int MAX_FIND_LIMIT = 500;

    private final LatheApi api;
    private final boolean team;

    /** {@code team}: the server has accounts, so a permission answer names its user. */
    ProjectRoutes(LatheApi api, boolean team) {
        this.api = api;
        this.team = team;
    }

    /**
     * {@code GET /models} and its filters. The whole list is thousands of catalog entries (1.1 MiB of JSON, ~15 MiB of
     * the server's heap while it is written), which opening a session must not cost: the terminal UI asks for one
     * provider's, the web UI's picker for the usable ones.
     */
    private List<ModelInfo> models(Call c) {
        boolean usable = switch (c.query("usable").orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LatheException.InvalidInput("query parameter 'usable' must be true or false");
        };
        List<ModelInfo> listed = c.query("provider").isPresent()
                ? client(c).models(c.requiredDirectory(), c.query("provider").get()) : client(c).models(c.requiredDirectory());
        return usable ? listed.stream().filter(ModelInfo::usable).toList() : listed;
    }

    /**
     * The API as the calling client sees it: with the environment the {@link Dispatcher} honoured for it (the node's own
     * user's config and keys for the sessions it creates and prompts), the server's own otherwise. Never logged.
     */
    private LatheApi client(Call c) {
        return ClientEnvironments.view(api, c);
    }

    Router addTo(Router r) {
        RouteDoc reply = RouteDoc.of("Answer a permission ask").body(PermissionReplyRequest.class);
        RouteDoc answer = RouteDoc.of("Answer (or dismiss) a question").body(QuestionReplyRequest.class);
        return r
                .add(ApiRoute.PERMISSIONS, Rights.ANY_USER, RouteDoc.of("Pending permission asks (every folder when directory is empty)")
                        .query("directory").returnsList(PermissionRequest.class), c -> c.json(200, api.permissions(c.directory().orElse(""))))
                .add(ApiRoute.PERMISSION_REPLY, Rights.ASK_OWNER, reply, this::replyPermission)
                .add(ApiRoute.PERMISSION_REPLY_SHORT, Rights.ASK_OWNER, reply, this::replyPermission)
                .add(ApiRoute.APPROVALS, Rights.ANY_USER, RouteDoc.of("The folder's remembered \"always\" answers: project-wide ones, then its sessions' ones")
                        .query("directory").returnsList(RememberedApproval.class), c -> c.json(200, api.approvals(c.requiredDirectory())))
                .add(ApiRoute.APPROVAL_REVOKE, Rights.ADMIN, RouteDoc.of("Forget a remembered answer; it no longer applies from the next tool call")
                        .query("directory").returns(RememberedApproval.class), c -> c.json(200, api.revokeApproval(c.requiredDirectory(), c.param("id"))))
                .add(ApiRoute.QUESTIONS, Rights.ANY_USER, RouteDoc.of("Pending questions (every folder when directory is empty)")
                        .query("directory").returnsList(QuestionRequest.class), c -> c.json(200, api.questions(c.directory().orElse(""))))
                .add(ApiRoute.QUESTION_REPLY, Rights.QUESTION_OWNER, answer, this::replyQuestion)
                .add(ApiRoute.QUESTION_REPLY_SHORT, Rights.QUESTION_OWNER, answer, this::replyQuestion)
                .add(ApiRoute.AGENTS, Rights.ANY_USER, RouteDoc.of("Agents of a folder").query("directory").returnsList(AgentInfo.class),
                        c -> c.json(200, client(c).agents(c.requiredDirectory())))
                .add(ApiRoute.MODES, Rights.ANY_USER, RouteDoc.of("Permission modes a prompt in a folder may ask for, in cycle order, and the one sessions start in")
                        .query("directory").returns(ModesInfo.class), c -> c.json(200, client(c).modes(c.requiredDirectory())))
                .add(ApiRoute.COMMANDS, Rights.ANY_USER, RouteDoc.of("Slash commands of a folder").query("directory").returnsList(CommandInfo.class),
                        c -> c.json(200, client(c).commands(c.requiredDirectory())))
                .add(ApiRoute.SKILLS, Rights.ANY_USER, RouteDoc.of("Skills of a folder, sorted by name").query("directory").returnsList(SkillInfo.class),
                        c -> c.json(200, client(c).skills(c.requiredDirectory())))
                .add(ApiRoute.HOOKS, Rights.ANY_USER, RouteDoc.of("Hooks of a folder in configuration order, and those an untrusted folder's files define that are skipped")
                        .query("directory").returns(HookListing.class),
                        c -> c.json(200, client(c).hooks(c.requiredDirectory())))
                .add(ApiRoute.MEMORY, Rights.ANY_USER, RouteDoc.of("Instruction files that reach the model in a folder and why, rules that join "
                        + "when a matching file is read or edited, and what was named but not read (/memory)")
                        .query("directory").returns(MemoryListing.class),
                        c -> c.json(200, client(c).memory(c.requiredDirectory())))
                .add(ApiRoute.MCP, Rights.ANY_USER, RouteDoc.of("MCP servers of a folder with their status now, in configuration order (starts them)")
                        .query("directory").returnsList(McpServerInfo.class),
                        c -> c.json(200, client(c).mcp(c.requiredDirectory())))
                .add(ApiRoute.MCP_RESTART, Rights.ADMIN, RouteDoc.of("Restart an MCP server of a folder now (after a sign-in, or a failure); its status")
                        .query("directory").returns(McpServerInfo.class),
                        c -> c.json(200, client(c).restartMcp(c.requiredDirectory(), c.param("name"))))
                .add(ApiRoute.MCP_SIGN_IN, Rights.ADMIN, RouteDoc.of("Start the OAuth sign-in to a remote MCP server; the URL to open "
                        + "(its end is the mcp.auth event, then the server restarts)").query("directory")
                        .returns(McpSignInStarted.class),
                        c -> c.json(200, client(c).signInMcp(c.requiredDirectory(), c.param("name"))))
                .add(ApiRoute.PROVIDER_SIGN_IN, Rights.ADMIN, RouteDoc.of("Start signing in to a provider's subscription (openai: ChatGPT Plus/Pro, "
                        + "github-copilot: GitHub Copilot); what to open and type (its end is the auth.signin event). device=true: a device code")
                        .query("directory", "device").returns(ProviderSignInStarted.class),
                        c -> c.json(200, client(c).signInProvider(c.requiredDirectory(), c.param("provider"),
                                c.query("device").map(Boolean::parseBoolean).orElse(false))))
                .add(ApiRoute.MCP_RESOURCES, Rights.ANY_USER, RouteDoc.of("Resources and resource templates of a folder's connected MCP servers, for completing @server:uri")
                        .query("directory").returnsList(McpResourceInfo.class),
                        c -> c.json(200, client(c).mcpResources(c.requiredDirectory())))
                .add(ApiRoute.LSP, Rights.ANY_USER, RouteDoc.of("Language servers of a folder with their state now (starts none; empty when lsp is off or none is installed)")
                        .query("directory").returnsList(LspServerInfo.class),
                        c -> c.json(200, client(c).lsp(c.requiredDirectory())))
                .add(ApiRoute.BLOCKED_CONNECTIONS, Rights.ANY_USER, RouteDoc.of("Connections local-only mode refused for a folder and for the server (folder empty), "
                        + "oldest first, each once: the network.blocked events a client that attached later missed (every folder's when directory is empty)")
                        .query("directory").returnsList(BlockedConnection.class),
                        c -> c.json(200, api.blockedConnections(c.directory().orElse(""))))
                .add(ApiRoute.MODELS, Rights.ANY_USER, RouteDoc.of("Models of the catalog and the configured providers; with provider, that "
                        + "provider's only (empty when it is unknown), e.g. for one model's limits; with usable=true, only chat "
                        + "models whose provider is set up (configured, or a key), what a model picker offers")
                        .query("directory", "provider", "usable").returnsList(ModelInfo.class), c -> c.json(200, models(c)))
                .add(ApiRoute.PROVIDERS, Rights.ANY_USER, RouteDoc.of("Providers, with where their key comes from (never the key)").query("directory")
                        .returnsList(ProviderInfo.class), c -> c.json(200, client(c).providers(c.requiredDirectory())))
                .add(ApiRoute.TRUST, Rights.ANY_USER, RouteDoc.of("The folder's trust and what it defines that was skipped because it is not trusted")
                        .query("directory").returns(TrustInfo.class), c -> c.json(200, api.trust(c.requiredDirectory())))
                .add(ApiRoute.TRUST_SET, Rights.ADMIN, RouteDoc.of("Trust the folder (true) or keep it untrusted (false); applies from the next prompt")
                        .query("directory").body(TrustRequest.class).returns(TrustInfo.class), this::setTrust)
                .add(ApiRoute.CONFIG, Rights.ANY_USER, RouteDoc.of("The merged configuration, secrets masked").query("directory")
                        .returns(200, new RouteDoc.Shape.AnyObject()), c -> c.json(200, client(c).config(c.requiredDirectory())))
                .add(ApiRoute.CONFIG_UPDATE, Rights.ADMIN, RouteDoc.of("Merge a patch into the project's .lathe/lathe.json").query("directory")
                        .body(Object.class).returns(200, new RouteDoc.Shape.AnyObject()), this::updateConfig)
                .add(ApiRoute.FILES, Rights.ANY_USER, RouteDoc.of("Entries of a project folder").query("directory", "path").returnsList(FileEntry.class),
                        c -> c.json(200, api.files(c.requiredDirectory(), c.query("path").orElse(""))))
                .add(ApiRoute.FILE_CONTENT, Rights.ANY_USER, RouteDoc.of("A project file").query("directory", "path").returns(FileContent.class),
                        c -> c.json(200, api.fileContent(c.requiredDirectory(), c.requiredQuery("path"))))
                .add(ApiRoute.FIND_FILES, Rights.ANY_USER, RouteDoc.of("Project files whose path fuzzy-matches the query").query("directory", "query", "limit")
                        .returnsList(String.class), c -> c.json(200, api.findFiles(c.requiredDirectory(), c.query("query").orElse(""),
                                c.intQuery("limit", DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT))))
                .add(ApiRoute.FIND_TEXT, Rights.ANY_USER, RouteDoc.of("Lines of project files matching a regular expression").query("directory", "pattern", "limit")
                        .returnsList(TextMatch.class), c -> c.json(200, api.findText(c.requiredDirectory(), c.requiredQuery("pattern"),
                                c.intQuery("limit", DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT))))
                .add(ApiRoute.STATS, Rights.ANY_USER, RouteDoc.of("Tokens, cost and cache hit ratio of a folder's sessions, in total and per model").query("directory")
                        .returns(ProjectStats.class), c -> c.json(200, api.stats(c.requiredDirectory())))
                .add(ApiRoute.AUTH_SET, Rights.ADMIN, RouteDoc.of("Store a provider key").body(AuthRequest.class), this::setAuth)
                .add(ApiRoute.AUTH_REMOVE, Rights.ADMIN, RouteDoc.of("Forget a stored provider key"), c -> {
                    api.removeAuth(c.param("provider"));
                    c.json(200, Map.of());
                });
    }

    private void replyPermission(Call c) throws IOException {
        PermissionId id = c.id("id", PermissionId::new);
        var reply = RequestShape.check(Call.convert(c.jsonObject(), PermissionReplyRequest.class));
        // who answered is the server's to say (the audit log records it on a team server), never the client's
        api.replyPermission(id, reply.answeredBy(team ? Optional.of(c.caller().name()) : Optional.empty()));
        c.json(200, Map.of());
    }

    private void replyQuestion(Call c) throws IOException {
        QuestionId id = c.id("id", QuestionId::new);
        api.replyQuestion(id, Call.convert(c.jsonObject(), QuestionReplyRequest.class));
        c.json(200, Map.of());
    }

    private void updateConfig(Call c) throws IOException {
        String directory = c.requiredDirectory();
        c.json(200, api.updateConfig(directory, new RawJson(WireJson.write(c.jsonObject()))));
    }

    private void setTrust(Call c) throws IOException {
        String directory = c.requiredDirectory();
        c.json(200, api.setTrust(directory, RequestShape.check(Call.convert(c.jsonObject(), TrustRequest.class))));
    }

    private void setAuth(Call c) throws IOException {
        var request = Call.convert(c.jsonObject(), AuthRequest.class);
        if (request.key() == null || request.key().isBlank()) throw new LatheException.InvalidInput("key is required");
        api.setAuth(c.param("provider"), request);
        c.json(200, Map.of());
    }
}
