package dev.lathe.mcp.stateless;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A 2026-07-28 MCP server on loopback, written from the revision's pages: one POST endpoint (GET and DELETE are 405),
 * no session, every request checked for {@code _meta} (version, client capabilities) and the standard headers
 * ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-Region}); a request that
 * fails a check is refused with 400 and the revision's error code, an unknown method with 404 and -32601.
 *
 * <p>It serves {@code server/discover}; tools (two per page) {@code echo} (answered as an SSE stream with a progress
 * notification first), {@code regional} (its {@code region} argument mirrored into a header), and {@code confirm},
 * which answers {@code input_required} with an elicitation and {@code requestState} until it is re-sent with both;
 * resources {@code test://greeting}; prompt {@code greet}; and {@code subscriptions/listen}, whose streams
 * {@link #addTool} notifies. {@code initialize} is refused like any request without {@code _meta}.
 */
public final class StatelessTestServer implements AutoCloseable {
    static final String VERSION = "2026-07-28";
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() { };

    /** One request as it arrived: its method, headers (names lower-cased) and params; {@code refused} when it failed a check. */
    public record Seen(String method, Map<String, String> headers, Map<String, Object> params, boolean refused) { }

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final HttpServer http;
    private final Optional<String> requiredAuthorization;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean added;

    private record Listener(Object id, OutputStream out) { }

    private StatelessTestServer(Optional<String> requiredAuthorization) throws IOException {
        this.requiredAuthorization = requiredAuthorization;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/mcp", this::handle);
        http.start();
    }

    public static StatelessTestServer start() throws IOException { return new StatelessTestServer(Optional.empty()); }

    /** A server that answers 401 unless {@code Authorization} is exactly {@code header}. */
    public static StatelessTestServer requiring(String header) throws IOException { return new StatelessTestServer(Optional.of(header)); }

    public URI url() { return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/mcp"); }

    public List<Seen> seen() { return List.copyOf(seen); }

    /** The methods of the requests seen, in order. */
    public List<String> methods() { return seen.stream().map(Seen::method).toList(); }

    /** How many requests failed a check. */
    public long refused() { return seen.stream().filter(Seen::refused).count(); }

    /** Adds tool {@code added} and tells every open listen stream that the tool list changed. */
    public void addTool() {
        added = true;
        for (Listener l : listeners) {
            send(l, notification("notifications/tools/list_changed", Map.of("_meta", Map.of("io.modelcontextprotocol/subscriptionId", l.id()))));
        }
    }

    public int openListenStreams() { return listeners.size(); }

    @Override
    public void close() {
        stopping.countDown();
        http.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            if (requiredAuthorization.isPresent() && !requiredAuthorization.get().equals(headers.get("authorization"))) {
                seen.add(new Seen("(unauthorized)", headers, Map.of(), true));
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Map<String, Object> request;
            try {
                request = json.readValue(exchange.getRequestBody().readAllBytes(), MAP);
            } catch (IOException e) {
                reply(exchange, 400, error(null, -32700, "Parse error", null));
                return;
            }
            Object id = request.get("id");
            String method = String.valueOf(request.get("method"));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = request.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            Optional<Map<String, Object>> refusal = check(method, params, headers, id);
            seen.add(new Seen(method, headers, params, refusal.isPresent()));
            if (refusal.isPresent()) {
                reply(exchange, 400, refusal.get());
                return;
            }
            switch (method) {
                case "server/discover" -> reply(exchange, 200, result(id, Map.of("supportedVersions", List.of(VERSION),
                        "capabilities", Map.of("tools", Map.of("listChanged", true), "resources", Map.of(), "prompts", Map.of()),
                        "instructions", "A test server.", "ttlMs", 60_000, "cacheScope", "public")));
                case "tools/list" -> reply(exchange, 200, result(id, toolsPage(params)));
                case "tools/call" -> call(exchange, id, params);
                case "resources/list" -> reply(exchange, 200, result(id, Map.of("resources",
                        List.of(Map.of("uri", "test://greeting", "name", "greeting", "mimeType", "text/plain")),
                        "ttlMs", 60_000, "cacheScope", "public")));
                case "resources/read" -> {
                    if ("test://greeting".equals(params.get("uri"))) {
                        reply(exchange, 200, result(id, Map.of("contents", List.of(Map.of("uri", "test://greeting",
                                "mimeType", "text/plain", "text", "hello from 2026-07-28")), "ttlMs", 0, "cacheScope", "private")));
                    } else {
                        reply(exchange, 200, error(id, -32602, "Resource not found", null));
                    }
                }
                case "prompts/list" -> reply(exchange, 200, result(id, Map.of("prompts", List.of(Map.of("name", "greet",
                        "description", "Greets someone", "arguments", List.of(Map.of("name", "who", "required", true)))),
                        "ttlMs", 60_000, "cacheScope", "public")));
                case "prompts/get" -> {
                    Object who = params.get("arguments") instanceof Map<?, ?> a ? a.get("who") : null;
                    reply(exchange, 200, result(id, Map.of("messages", List.of(Map.of("role", "user",
                            "content", Map.of("type", "text", "text", "Say hello to " + who))))));
                }
                case "subscriptions/listen" -> listen(exchange, id, params);
                default -> reply(exchange, 404, error(id, -32601, "Method not found: " + method, null));
            }
        }
    }

    /** What is wrong with a request by the revision's rules, as the JSON-RPC error to answer; empty when nothing is. */
    private Optional<Map<String, Object>> check(String method, Map<String, Object> params, Map<String, String> headers, Object id) {
        if (!(params.get("_meta") instanceof Map<?, ?> meta) || !(meta.get("io.modelcontextprotocol/protocolVersion") instanceof String version)
                || !(meta.get("io.modelcontextprotocol/clientCapabilities") instanceof Map<?, ?>)) {
            return Optional.of(error(id, -32602, "Invalid params: every request needs _meta with "
                    + "io.modelcontextprotocol/protocolVersion and io.modelcontextprotocol/clientCapabilities (this server speaks "
                    + VERSION + " only)", null));
        }
        if (!version.equals(headers.get("mcp-protocol-version"))) {
            return Optional.of(error(id, -32020, "Header mismatch: MCP-Protocol-Version", null));
        }
        if (!VERSION.equals(version)) {
            return Optional.of(error(id, -32022, "Unsupported protocol version", Map.of("supported", List.of(VERSION), "requested", version)));
        }
        if (!method.equals(headers.get("mcp-method"))) return Optional.of(error(id, -32020, "Header mismatch: Mcp-Method", null));
        Object name = switch (method) {
            case "tools/call", "prompts/get" -> params.get("name");
            case "resources/read" -> params.get("uri");
            default -> null;
        };
        if (name != null && !name.equals(decode(headers.get("mcp-name")))) {
            return Optional.of(error(id, -32020, "Header mismatch: Mcp-Name", null));
        }
        if ("regional".equals(name) && params.get("arguments") instanceof Map<?, ?> args && args.get("region") != null
                && !args.get("region").equals(decode(headers.get("mcp-param-region")))) {
            return Optional.of(error(id, -32020, "Header mismatch: Mcp-Param-Region", null));
        }
        return Optional.empty();
    }

    private static String decode(String header) {
        if (header != null && header.startsWith("=?base64?") && header.endsWith("?=")) {
            return new String(Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8);
        }
        return header;
    }

    private Map<String, Object> toolsPage(Map<String, Object> params) {
        List<Map<String, Object>> all = new ArrayList<>();
        if (added) all.add(tool("added", "Appeared later", Map.of(), false));
        all.add(tool("confirm", "Asks the user to confirm", Map.of(), false));
        all.add(tool("echo", "Echoes its message", Map.of("message", Map.of("type", "string")), true));
        all.add(tool("regional", "Runs in a region", Map.of("region", Map.of("type", "string", "x-mcp-header", "Region")), false));
        all.add(tool("slow", "Reports progress while it works", Map.of("steps", Map.of("type", "integer"), "everyMs", Map.of("type", "integer")), true));
        int from = params.get("cursor") instanceof String c ? Integer.parseInt(c) : 0;
        int to = Math.min(from + 2, all.size());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("tools", all.subList(from, to));
        if (to < all.size()) page.put("nextCursor", Integer.toString(to));
        page.put("ttlMs", 60_000);
        page.put("cacheScope", "public");
        return page;
    }

    private static Map<String, Object> tool(String name, String description, Map<String, Object> properties, boolean readOnly) {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", name);
        tool.put("description", description);
        tool.put("inputSchema", Map.of("type", "object", "properties", properties));
        tool.put("annotations", Map.of("readOnlyHint", readOnly));
        return tool;
    }

    private void call(HttpExchange exchange, Object id, Map<String, Object> params) throws IOException {
        Map<?, ?> args = params.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
        switch (String.valueOf(params.get("name"))) {
            case "echo" -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write((": keep-alive\n\nevent: message\ndata: " + json.writeValueAsString(notification("notifications/progress",
                        Map.of("progressToken", "p", "progress", 1))) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.write(("event: message\ndata: " + json.writeValueAsString(result(id, text("Echo: " + args.get("message"))))
                        + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            case "regional" -> reply(exchange, 200, result(id, text("ran in " + args.get("region"))));
            case "slow" -> slow(exchange, id, params, args);
            case "added" -> reply(exchange, 200, result(id, text("the added tool ran")));
            case "confirm" -> confirm(exchange, id, params);
            default -> reply(exchange, 200, error(id, -32602, "Unknown tool: " + params.get("name"), null));
        }
    }

    /**
     * {@code steps} progress reports {@code everyMs} apart on the call's own SSE answer, then the result: reports
     * only when the request carried a {@code progressToken} (a server must not report on a token it was not given).
     */
    private void slow(HttpExchange exchange, Object id, Map<String, Object> params, Map<?, ?> args) throws IOException {
        Object token = params.get("_meta") instanceof Map<?, ?> meta ? meta.get("progressToken") : null;
        int steps = ((Number) args.get("steps")).intValue();
        long every = ((Number) args.get("everyMs")).longValue();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int step = 1; step <= steps; step++) {
                Thread.sleep(every);
                if (token != null) {
                    out.write(("event: message\ndata: " + json.writeValueAsString(notification("notifications/progress",
                            Map.of("progressToken", token, "progress", step, "total", steps, "message", "step " + step))) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        out.write(("event: message\ndata: " + json.writeValueAsString(result(id, text("slow done after " + steps))) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** MRTR: input_required until the retry carries the answer to "ok" and the state this server handed out. */
    private void confirm(HttpExchange exchange, Object id, Map<String, Object> params) throws IOException {
        if ("confirm-state-1".equals(params.get("requestState")) && params.get("inputResponses") instanceof Map<?, ?> responses
                && responses.get("ok") instanceof Map<?, ?> ok) {
            String answer = "accept".equals(ok.get("action")) && ok.get("content") instanceof Map<?, ?> content
                    ? "confirmed by " + content.get("name") : "not confirmed: " + ok.get("action");
            reply(exchange, 200, result(id, text(answer)));
            return;
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("resultType", "input_required");
        input.put("inputRequests", Map.of("ok", Map.of("method", "elicitation/create", "params", Map.of("mode", "form",
                "message", "Who confirms?", "requestedSchema", Map.of("type", "object",
                        "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"))))));
        input.put("requestState", "confirm-state-1");
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("result", input);
        reply(exchange, 200, response);
    }

    private void listen(HttpExchange exchange, Object id, Map<String, Object> params) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        Map<?, ?> asked = params.get("notifications") instanceof Map<?, ?> n ? n : Map.of();
        Map<String, Object> honoured = Boolean.TRUE.equals(asked.get("toolsListChanged")) ? Map.of("toolsListChanged", true) : Map.of();
        var listener = new Listener(id, exchange.getResponseBody());
        send(listener, notification("notifications/subscriptions/acknowledged",
                Map.of("_meta", Map.of("io.modelcontextprotocol/subscriptionId", id), "notifications", honoured)));
        listeners.add(listener);
        try {
            stopping.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            listeners.remove(listener);
        }
    }

    private void send(Listener listener, Map<String, Object> message) {
        try {
            synchronized (listener) {
                listener.out().write(("data: " + json.writeValueAsString(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
                listener.out().flush();
            }
        } catch (IOException e) {
            listeners.remove(listener);
        }
    }

    private static Map<String, Object> text(String text) {
        return Map.of("content", List.of(Map.of("type", "text", "text", text)), "isError", false);
    }

    private static Map<String, Object> notification(String method, Map<String, Object> params) {
        return Map.of("jsonrpc", "2.0", "method", method, "params", params);
    }

    private static Map<String, Object> result(Object id, Map<String, Object> result) {
        Map<String, Object> complete = new LinkedHashMap<>(result);
        complete.put("resultType", "complete");
        complete.put("_meta", Map.of("io.modelcontextprotocol/serverInfo", Map.of("name", "lathe-test-2026", "version", "1.0.0")));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("result", complete);
        return response;
    }

    private static Map<String, Object> error(Object id, int code, String message, Object data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) error.put("data", data);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        if (id != null) response.put("id", id);
        response.put("error", error);
        return response;
    }

    private void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
