package dev.lathe.mcp.stateless;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A 2026-07-28 MCP server over stdio, run as its own JVM by the tests ({@link #command()}): a request without
 * {@code _meta} (version and client capabilities) is refused with -32602, so {@code initialize} is too, as a
 * modern-only server does. It serves {@code server/discover}, {@code tools/list} ({@code echo}, {@code confirm},
 * {@code grow}), {@code tools/call} (echo after a progress notification; confirm through an {@code input_required}
 * round; grow adds tool {@code grown} and notifies the {@code subscriptions/listen} streams) and
 * {@code subscriptions/listen}. One JSON-RPC message per line, nothing else on stdout.
 */
public final class StatelessStdioTestServer {
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() { };
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    private static final List<Object> LISTENERS = new CopyOnWriteArrayList<>();
    private static volatile boolean grown;

    private StatelessStdioTestServer() {}

    /** The command that runs this server with the tests' class path. */
    public static List<String> command() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-cp", System.getProperty("java.class.path"), StatelessStdioTestServer.class.getName());
    }

    public static void main(String[] args) throws IOException {
        System.setOut(System.err); // nothing but protocol messages on the real stdout
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Map<String, Object> request = JSON.readValue(line, MAP);
            Object id = request.get("id");
            if (id == null) continue; // notifications/cancelled and the like
            String method = String.valueOf(request.get("method"));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = request.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            if (!(params.get("_meta") instanceof Map<?, ?> meta) || !"2026-07-28".equals(meta.get("io.modelcontextprotocol/protocolVersion"))
                    || !(meta.get("io.modelcontextprotocol/clientCapabilities") instanceof Map<?, ?>)) {
                send(error(id, -32602, "Invalid params: this server speaks 2026-07-28 only and needs _meta on every request"));
                continue;
            }
            switch (method) {
                case "server/discover" -> send(result(id, Map.of("supportedVersions", List.of("2026-07-28"),
                        "capabilities", Map.of("tools", Map.of("listChanged", true)), "ttlMs", 0, "cacheScope", "public")));
                case "tools/list" -> {
                    List<Map<String, Object>> tools = new ArrayList<>();
                    tools.add(Map.of("name", "confirm", "inputSchema", Map.of("type", "object")));
                    tools.add(Map.of("name", "echo", "inputSchema", Map.of("type", "object", "properties", Map.of("message", Map.of("type", "string")))));
                    tools.add(Map.of("name", "grow", "inputSchema", Map.of("type", "object")));
                    tools.add(Map.of("name", "slow", "inputSchema", Map.of("type", "object")));
                    if (grown) tools.add(Map.of("name", "grown", "inputSchema", Map.of("type", "object")));
                    send(result(id, Map.of("tools", tools, "ttlMs", 0, "cacheScope", "public")));
                }
                case "tools/call" -> call(id, params);
                case "subscriptions/listen" -> {
                    LISTENERS.add(id);
                    send(Map.of("jsonrpc", "2.0", "method", "notifications/subscriptions/acknowledged", "params",
                            Map.of("_meta", Map.of("io.modelcontextprotocol/subscriptionId", id), "notifications", Map.of("toolsListChanged", true))));
                }
                default -> send(error(id, -32601, "Method not found: " + method));
            }
        }
    }

    private static void call(Object id, Map<String, Object> params) {
        Map<?, ?> args = params.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
        switch (String.valueOf(params.get("name"))) {
            case "echo" -> {
                send(Map.of("jsonrpc", "2.0", "method", "notifications/progress", "params", Map.of("progressToken", "p", "progress", 1)));
                send(result(id, text("Echo: " + args.get("message"))));
            }
            case "slow" -> Thread.ofVirtual().start(() -> slow(id, params, args));
            case "grow" -> {
                grown = true;
                send(result(id, text("grown")));
                for (Object listener : LISTENERS) {
                    send(Map.of("jsonrpc", "2.0", "method", "notifications/tools/list_changed",
                            "params", Map.of("_meta", Map.of("io.modelcontextprotocol/subscriptionId", listener))));
                }
            }
            case "confirm" -> {
                if ("s".equals(params.get("requestState")) && params.get("inputResponses") instanceof Map<?, ?> r
                        && r.get("who") instanceof Map<?, ?> who && who.get("content") instanceof Map<?, ?> content) {
                    send(result(id, text("confirmed by " + content.get("name"))));
                } else {
                    Map<String, Object> input = new LinkedHashMap<>();
                    input.put("resultType", "input_required");
                    input.put("inputRequests", Map.of("who", Map.of("method", "elicitation/create", "params",
                            Map.of("message", "Who?", "requestedSchema", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")))))));
                    input.put("requestState", "s");
                    send(Map.of("jsonrpc", "2.0", "id", id, "result", input));
                }
            }
            default -> send(error(id, -32602, "Unknown tool"));
        }
    }

    /**
     * {@code steps} progress reports {@code everyMs} apart, then the answer: reports only when the request asked for
     * them with a {@code progressToken} (a server must not send progress for a token it was not given).
     */
    private static void slow(Object id, Map<String, Object> params, Map<?, ?> args) {
        Object token = params.get("_meta") instanceof Map<?, ?> meta ? meta.get("progressToken") : null;
        int steps = ((Number) args.get("steps")).intValue();
        long every = ((Number) args.get("everyMs")).longValue();
        try {
            for (int step = 1; step <= steps; step++) {
                Thread.sleep(every);
                if (token != null) {
                    send(Map.of("jsonrpc", "2.0", "method", "notifications/progress", "params",
                            Map.of("progressToken", token, "progress", step, "total", steps, "message", "step " + step)));
                }
            }
        } catch (InterruptedException e) {
            return;
        }
        send(result(id, text("slow done after " + steps)));
    }

    private static Map<String, Object> text(String text) {
        return Map.of("content", List.of(Map.of("type", "text", "text", text)));
    }

    private static Map<String, Object> result(Object id, Map<String, Object> result) {
        Map<String, Object> complete = new LinkedHashMap<>(result);
        complete.put("resultType", "complete");
        return Map.of("jsonrpc", "2.0", "id", id, "result", complete);
    }

    private static Map<String, Object> error(Object id, int code, String message) {
        return Map.of("jsonrpc", "2.0", "id", id, "error", Map.of("code", code, "message", message));
    }

    private static synchronized void send(Map<String, Object> message) {
        try {
            OUT.println(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
