package dev.lathe.acp;

import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionMcpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The MCP servers an editor names in {@code session/new}, {@code load} and {@code resume}, handed to the daemon for
 * that session alone ({@link LatheApi#setSessionMcp}): they run beside the project's servers for that session's turns
 * and replace what an earlier call brought, until the editor closes ({@link #detach}). ACP's stdio servers have no {@code type}; {@code http} and {@code sse}
 * are both sent as Lathe's {@code http} (its remote connector tries Streamable HTTP, then legacy SSE on the same URL).
 * Names are made valid tool-name prefixes ({@link SessionMcpServer#nameFor}), a repeat numbered.
 */
final class EditorMcpServers {
    static final boolean HTTP = true;
    static final boolean SSE = true;

    private EditorMcpServers() {}

    /**
     * How long a session's answer waits for the editor's servers to start: an editor's first prompt usually follows at
     * once, and its tools should be there for it. A server slower than this joins from a later step.
     */
    static final Duration READY_WAIT = Duration.ofSeconds(10);

    /**
     * Hands {@code servers} (ACP's {@code mcpServers}) to the daemon for {@code session}, then waits (at most
     * {@link #READY_WAIT}) until each has connected or failed; nothing when the field is absent.
     */
    static void attach(LatheApi api, SessionId session, JsonNode servers) throws JsonRpcError {
        if (servers.isMissingNode() || servers.isNull()) return;
        List<SessionMcpServer> list = servers(servers);
        try {
            List<McpServerInfo> statuses = api.setSessionMcp(session, new SessionMcpRequest(list));
            long deadline = System.nanoTime() + READY_WAIT.toNanos();
            while (statuses.stream().anyMatch(s -> s.status().equals("starting")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                statuses = api.sessionMcp(session);
            }
        } catch (LatheException.InvalidInput e) {
            throw JsonRpcError.invalidParams("mcpServers: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The editor closed: the servers it brought for {@code session} stop (they are its configuration, and nobody would
     * stop them otherwise while the daemon runs). Best effort: a daemon that is gone took them with it.
     */
    static void detach(LatheApi api, SessionId session) {
        try {
            api.setSessionMcp(session, new SessionMcpRequest(List.of()));
        } catch (RuntimeException e) {
            System.getLogger(EditorMcpServers.class.getName()).log(System.Logger.Level.DEBUG, "the editor's MCP servers of " + session.value() + " not stopped", e);
        }
    }

    /** ACP's {@code mcpServers} as Lathe's records. */
    static List<SessionMcpServer> servers(JsonNode servers) throws JsonRpcError {
        if (!servers.isArray()) throw JsonRpcError.invalidParams("mcpServers must be an array");
        List<SessionMcpServer> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode server : servers) {
            String at = "mcpServers[" + i++ + "]";
            if (!server.isObject()) throw JsonRpcError.invalidParams(at + " must be an object");
            String name = unique(SessionMcpServer.nameFor(text(server, "name", at)), names);
            String type = server.path("type").isString() ? server.path("type").asString() : "stdio";
            out.add(switch (type) {
                case "stdio" -> new SessionMcpServer.Stdio(name, text(server, "command", at), strings(server.path("args"), at + ".args"),
                        pairs(server.path("env"), at + ".env"));
                case "http", "sse" -> new SessionMcpServer.Http(name, text(server, "url", at), pairs(server.path("headers"), at + ".headers"));
                default -> throw JsonRpcError.invalidParams(at + ".type '" + type + "' is not stdio, http or sse");
            });
        }
        return out;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int n = 2; !taken.add(candidate); n++) candidate = name + "_" + n;
        return candidate;
    }

    private static String text(JsonNode node, String field, String at) throws JsonRpcError {
        JsonNode value = node.path(field);
        if (!value.isString() || value.asString().isBlank()) throw JsonRpcError.invalidParams(at + "." + field + " is required");
        return value.asString();
    }

    private static List<String> strings(JsonNode array, String at) throws JsonRpcError {
        if (array.isMissingNode() || array.isNull()) return List.of();
        if (!array.isArray()) throw JsonRpcError.invalidParams(at + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            if (!s.isString()) throw JsonRpcError.invalidParams(at + " must be an array of strings");
            out.add(s.asString());
        }
        return out;
    }

    /** ACP's {@code [{name, value}]} (environment variables, headers) as a map, a later name winning. */
    private static Map<String, String> pairs(JsonNode array, String at) throws JsonRpcError {
        if (array.isMissingNode() || array.isNull()) return Map.of();
        if (!array.isArray()) throw JsonRpcError.invalidParams(at + " must be an array of {name, value}");
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode pair : array) {
            if (!pair.path("name").isString() || !pair.path("value").isString()) throw JsonRpcError.invalidParams(at + " must be an array of {name, value}");
            out.put(pair.path("name").asString(), pair.path("value").asString());
        }
        return out;
    }
}
