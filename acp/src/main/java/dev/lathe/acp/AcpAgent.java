package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lathe as an ACP v1 agent (DESIGN §14, §18): the editor's requests answered through {@link LatheApi}, a client of
 * the daemon. The ACP {@code sessionId} is the Lathe session id, so a session started in an editor is listed by
 * {@code lathe sessions}, shown live in the terminal and web UIs, and can be loaded or resumed from any editor later.
 *
 * <p>Methods: {@code initialize}, {@code authenticate} (nothing to do: the daemon's token is read from its
 * discovery file), {@code session/new}, {@code session/load} (history replayed as updates),
 * {@code session/resume}, {@code session/list}, {@code session/prompt}, {@code session/set_mode} (primary agents),
 * {@code session/set_config_option} (the model), {@code session/close}, and the {@code session/cancel} notification.
 */
public final class AcpAgent implements JsonRpcPeer.Handler {
    private static final System.Logger LOG = System.getLogger(AcpAgent.class.getName());
    /** The ACP version this agent speaks. */
    public static final int PROTOCOL_VERSION = 1;
    private static final int LIST_PAGE = 50;

    private final LatheApi api;
    private final Path launchDirectory;
    private JsonRpcPeer editor;
    private PermissionRelay relay;
    private final Map<SessionId, AcpSession> open = new ConcurrentHashMap<>();
    /** Prompts taken on the reading thread ({@link #received}), by their request's params (the same object), until run. */
    private final Map<JsonNode, PromptTurn> prompts = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private volatile EditorCapabilities capabilities = EditorCapabilities.NONE;

    /** @param launchDirectory where {@code lathe acp} was started: the folder {@code session/list} lists without a cwd */
    public AcpAgent(LatheApi api, Path launchDirectory) {
        this.api = api;
        this.launchDirectory = launchDirectory;
    }

    /**
     * Serves the editor on {@code in}/{@code out} until it closes its end; returns then, with every open session's event
     * stream closed and the MCP servers the editor brought for it stopped (the sessions and any running turn live on in
     * the daemon).
     */
    public void serve(InputStream in, OutputStream out) {
        editor = new JsonRpcPeer("editor", in, out, this);
        relay = new PermissionRelay(api, editor);
        editor.start();
        editor.closed().join();
        open.values().forEach(AcpSession::close);
        // the editor's MCP servers were its own: they go with it
        open.keySet().forEach(id -> EditorMcpServers.detach(api, id));
        open.clear();
    }

    @Override
    public JsonNode request(String method, JsonNode params) throws JsonRpcError {
        try {
            return switch (method) {
                case "initialize" -> initialize(params);
                case "authenticate" -> Json.object();
                case "session/new" -> newSession(params);
                case "session/load" -> loadSession(params, true);
                case "session/resume" -> loadSession(params, false);
                case "session/list" -> listSessions(params);
                case "session/prompt" -> prompt(params);
                case "session/set_mode" -> setMode(params);
                case "session/set_config_option" -> setConfigOption(params);
                case "session/close" -> closeSession(params);
                default -> throw JsonRpcError.methodNotFound(method);
            };
        } catch (LatheException e) {
            throw new JsonRpcError(e instanceof LatheException.NotFound || e instanceof LatheException.InvalidInput
                    ? JsonRpcError.INVALID_PARAMS : JsonRpcError.INTERNAL_ERROR, e.getMessage());
        }
    }

    @Override
    public void notification(String method, JsonNode params) {
        if (!method.equals("session/cancel")) {
            LOG.log(System.Logger.Level.DEBUG, "ignored notification " + method);
            return;
        }
        String id = params.path("sessionId").asString("");
        AcpSession session = id.startsWith(SessionId.PREFIX) ? open.get(new SessionId(id)) : null;
        if (session != null) session.cancel();
    }

    /**
     * A {@code session/prompt} is taken as the session's prompt here, on the reading thread, before its own thread runs
     * it: a {@code session/cancel} right behind it on the wire then finds it.
     */
    @Override
    public void received(String method, JsonNode params) {
        if (!method.equals("session/prompt")) return;
        String id = params.path("sessionId").asString("");
        AcpSession session = id.startsWith(SessionId.PREFIX) ? open.get(new SessionId(id)) : null;
        if (session == null) return;
        var turn = new PromptTurn(api, session);
        if (session.answering(turn)) prompts.put(params, turn);
    }

    @Override
    public void answered(String method, JsonNode params, JsonNode result) {
        // the editor learns the session id from the answer: what names it comes after
        if (method.equals("session/new") || method.equals("session/load") || method.equals("session/resume")) {
            String id = method.equals("session/new") ? result.path("sessionId").asString("") : params.path("sessionId").asString("");
            AcpSession session = open.get(new SessionId(id));
            if (session != null) session.send(availableCommands(session));
        }
    }

    private JsonNode initialize(JsonNode params) {
        capabilities = EditorCapabilities.of(params.path("clientCapabilities"));
        ObjectNode result = Json.object().put("protocolVersion", PROTOCOL_VERSION);
        ObjectNode agent = result.putObject("agentCapabilities").put("loadSession", true);
        agent.putObject("promptCapabilities").put("image", true).put("audio", false).put("embeddedContext", true);
        agent.putObject("mcpCapabilities").put("http", EditorMcpServers.HTTP).put("sse", EditorMcpServers.SSE);
        ObjectNode sessions = agent.putObject("sessionCapabilities");
        sessions.putObject("list");
        sessions.putObject("resume");
        sessions.putObject("close");
        result.putObject("agentInfo").put("name", "lathe").put("title", "Lathe").put("version", Version.current());
        result.putArray("authMethods");
        return result;
    }

    private JsonNode newSession(JsonNode params) throws JsonRpcError {
        Path cwd = cwd(params);
        Session session = api.createSession(CreateSessionRequest.in(cwd.toString()));
        AcpSession acp = opened(session, params, _ -> { });
        return sessionState(acp, Json.object().put("sessionId", session.id().value()));
    }

    private JsonNode loadSession(JsonNode params, boolean replay) throws JsonRpcError {
        SessionId id = sessionId(params);
        Session session = api.session(id);
        Path cwd = cwd(params);
        if (!Path.of(session.directory()).equals(cwd)) {
            throw JsonRpcError.invalidParams("session " + id.value() + " belongs to " + session.directory() + ", not " + cwd);
        }
        AcpSession previous = open.remove(id);
        if (previous != null) previous.close();
        // subscribed before the history is read, and the events held until it is sent: nothing in between is lost
        AcpSession acp = opened(session, params, feed -> {
            if (replay) feed.replay(api.messages(id), api.todos(id));
        });
        return sessionState(acp, Json.object());
    }

    /**
     * The session open for this editor, with the editor's MCP servers and its files for the session's tools; its events
     * flow once {@code before} (a load's replay) has run. What was set up is undone when a later step fails.
     */
    private AcpSession opened(Session session, JsonNode params, java.util.function.Consumer<SessionFeed> before) throws JsonRpcError {
        EditorMcpServers.attach(api, session.id(), params.path("mcpServers"));
        AcpSession acp = null;
        try {
            acp = AcpSession.open(api, session, editor, relay);
            acp.attached(EditorFiles.attach(api, session.id(), capabilities, editor));
            acp.live(api, before);
            open.put(session.id(), acp);
            return acp;
        } catch (RuntimeException e) {
            if (acp != null) acp.close();
            EditorMcpServers.detach(api, session.id());
            throw e;
        }
    }

    private ObjectNode sessionState(AcpSession session, ObjectNode result) {
        String directory = session.directory.toString();
        result.set("modes", SessionOptions.modes(api.agents(directory), session.mode()));
        result.set("configOptions", SessionOptions.configOptions(api.models(directory), session.model()));
        return result;
    }

    private JsonNode listSessions(JsonNode params) throws JsonRpcError {
        String cwd = params.path("cwd").isString() ? cwd(params).toString() : launchDirectory.toString();
        List<Session> sessions = api.sessions(cwd).stream().filter(s -> s.parentId().isEmpty() && s.archivedAt().isEmpty()).toList();
        int from = 0;
        if (params.path("cursor").isString()) {
            try {
                from = Integer.parseInt(params.path("cursor").asString());
            } catch (NumberFormatException e) {
                throw JsonRpcError.invalidParams("not a cursor of session/list: " + params.path("cursor").asString());
            }
        }
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("sessions");
        int to = Math.min(sessions.size(), from + LIST_PAGE);
        for (Session s : sessions.subList(Math.min(from, to), to)) {
            list.addObject().put("sessionId", s.id().value()).put("cwd", s.directory()).put("title", s.title())
                    .put("updatedAt", Instant.ofEpochMilli(s.updatedAt()).toString());
        }
        if (to < sessions.size()) result.put("nextCursor", Integer.toString(to));
        return result;
    }

    private JsonNode prompt(JsonNode params) throws JsonRpcError {
        PromptTurn turn = prompts.remove(params);
        AcpSession session = session(params);
        if (turn == null) throw JsonRpcError.invalidParams("session " + session.id.value() + " is already answering a prompt of this editor");
        try {
            return turn.run(PromptContent.of(params.path("prompt")));
        } finally {
            session.answered(turn);
        }
    }

    /** {@code session/close}: the session's work is cancelled, its events stop, and what the editor brought for it goes. */
    private JsonNode closeSession(JsonNode params) throws JsonRpcError {
        AcpSession session = session(params);
        open.remove(session.id, session);
        session.closeAndCancel();
        EditorMcpServers.detach(api, session.id);
        return Json.object();
    }

    private JsonNode setMode(JsonNode params) throws JsonRpcError {
        AcpSession session = session(params);
        String mode = params.path("modeId").asString("");
        var agents = SessionOptions.primary(api.agents(session.directory.toString()));
        if (agents.stream().noneMatch(a -> a.name().equals(mode))) {
            throw JsonRpcError.invalidParams("unknown mode '" + mode + "'; available: " + String.join(", ", agents.stream().map(a -> a.name()).toList()));
        }
        session.mode(mode);
        return Json.object();
    }

    private JsonNode setConfigOption(JsonNode params) throws JsonRpcError {
        AcpSession session = session(params);
        String option = params.path("configId").asString("");
        if (!option.equals(SessionOptions.MODEL_OPTION)) throw JsonRpcError.invalidParams("unknown config option '" + option + "'; available: model");
        String model = params.path("value").asString("");
        var models = api.models(session.directory.toString());
        if (models.stream().noneMatch(m -> m.ref().equals(model))) throw JsonRpcError.invalidParams("unknown model '" + model + "'");
        session.model(model);
        return Json.object().set("configOptions", SessionOptions.configOptions(models, model));
    }

    private ObjectNode availableCommands(AcpSession session) {
        ObjectNode update = SessionFeed.update("available_commands_update");
        ArrayNode commands = update.putArray("availableCommands");
        for (CommandInfo c : api.commands(session.directory.toString())) {
            ObjectNode command = commands.addObject().put("name", c.name()).put("description", c.description());
            if (!c.arguments().isEmpty()) {
                command.putObject("input").put("hint", String.join(" ", c.arguments().stream().map(a -> a.required() ? a.name() : "[" + a.name() + "]").toList()));
            }
        }
        return update;
    }

    private AcpSession session(JsonNode params) throws JsonRpcError {
        SessionId id = sessionId(params);
        AcpSession session = open.get(id);
        if (session == null) throw JsonRpcError.invalidParams("session " + id.value() + " is not open here: session/new, session/load or session/resume it first");
        return session;
    }

    private static SessionId sessionId(JsonNode params) throws JsonRpcError {
        String id = params.path("sessionId").asString("");
        if (!id.startsWith(SessionId.PREFIX)) throw JsonRpcError.invalidParams("not a Lathe session id: '" + id + "'");
        return new SessionId(id);
    }

    private static Path cwd(JsonNode params) throws JsonRpcError {
        String cwd = params.path("cwd").asString("");
        if (cwd.isEmpty() || !Path.of(cwd).isAbsolute()) throw JsonRpcError.invalidParams("cwd must be an absolute path, not '" + cwd + "'");
        Path path = Path.of(cwd).normalize();
        if (!Files.isDirectory(path)) throw JsonRpcError.invalidParams("cwd is not a folder: " + path);
        return path;
    }
}
