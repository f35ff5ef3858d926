package dev.lathe.mcp.stateless;

import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.client.ProtocolRevision;
import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Lathe's own client for the stateless 2026-07-28 revision (the SDK 2.1.0 speaks only {@code initialize}), over
 * a {@link Channel} (Streamable HTTP or stdio). Every request carries {@code _meta} with the protocol version, the client's capabilities
 * (elicitation, form and URL) and its name; results are read into the SDK's {@link McpSchema} records, with
 * {@code resultType} absent or {@code complete}.
 *
 * <p><b>Multi round-trip requests.</b> A {@code tools/call}, {@code resources/read} or {@code prompts/get} answered
 * {@code input_required} has its {@code elicitation/create} input requests answered by the {@link Elicitor} (which
 * asks the user), and is sent again, with a new id, carrying {@code inputResponses} and the server's
 * {@code requestState} unchanged; at most {@value #MAX_ROUNDS} rounds. Sampling and roots are not offered (not
 * declared), so a server asking for them fails the request with a message saying so.
 *
 * <p><b>List changes.</b> The first {@link #onToolsListChanged} opens a {@code subscriptions/listen} stream for
 * {@code toolsListChanged} (when the server announces {@code tools.listChanged}); it is reopened after it ends, and
 * a reopened stream tells the listeners once, since a change may have been missed meanwhile.
 */
public final class StatelessClient implements ServerClient {
    static final int MAX_ROUNDS = 8;
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    private static final Map<String, Object> CAPABILITIES = Map.of("elicitation", Map.of("form", Map.of(), "url", Map.of()));
    private static final Map<String, Object> CLIENT_INFO = Map.of("name", "lathe", "version", version());
    private static final Duration LISTEN_RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration LISTEN_RETRY_MAX = Duration.ofSeconds(30);
    private static final AtomicLong TOKENS = new AtomicLong();

    private final String server;
    private final Channel channel;
    private final Discovery discovery;
    private final Elicitor elicitor;
    private final Map<String, McpSchema.Tool> tools = new ConcurrentHashMap<>();
    private final List<Runnable> toolsListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean listening = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param server the configured name (what the elicitor shows the user)
     * @param discovery what the server answered to {@code server/discover}
     */
    public StatelessClient(String server, Channel channel, Discovery discovery, Elicitor elicitor) {
        this.server = server;
        this.channel = channel;
        this.discovery = discovery;
        this.elicitor = elicitor;
    }

    /** What the server said of itself when it was probed. */
    public Discovery discovery() { return discovery; }

    @Override public ProtocolRevision revision() { return ProtocolRevision.STATELESS; }

    @Override
    public McpSchema.ListToolsResult listTools() { return listTools(null); }

    @Override
    public McpSchema.ListToolsResult listTools(String cursor) {
        var result = JSON.convertValue(complete("tools/list", page(cursor), Map.of()), McpSchema.ListToolsResult.class);
        if (result.tools() != null) result.tools().forEach(t -> tools.put(t.name(), t));
        return result;
    }

    @Override
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request) { return callTool(request, null); }

    /**
     * The revision keeps {@code progressToken} in the request's {@code _meta} and sends the server's
     * {@code notifications/progress} on the response stream of the request they belong to (the POST's SSE answer;
     * stdout on stdio), never on a {@code subscriptions/listen} stream. Each round of a multi round-trip call is a
     * new request carrying the same token (the previous one has ended, so the token is unique among active ones).
     * The channel's timeout counts from the latest report, so a call that keeps reporting is not cut.
     */
    @Override
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, Consumer<McpSchema.ProgressNotification> progress) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", request.name());
        params.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Stateless.HEADER_NAME, HeaderValues.encode(request.name()));
        McpSchema.Tool tool = tools.get(request.name());
        if (tool != null) headers.putAll(HeaderValues.mirrored(tool.inputSchema(), request.arguments()));
        Progress reports = progress == null ? null : new Progress("lathe-" + TOKENS.incrementAndGet(), progress);
        return JSON.convertValue(rounds("tools/call", params, headers, reports), McpSchema.CallToolResult.class);
    }

    @Override
    public McpSchema.ListResourcesResult listResources() { return listResources(null); }

    @Override
    public McpSchema.ListResourcesResult listResources(String cursor) {
        return JSON.convertValue(complete("resources/list", page(cursor), Map.of()), McpSchema.ListResourcesResult.class);
    }

    @Override
    public McpSchema.ListResourceTemplatesResult listResourceTemplates(String cursor) {
        return JSON.convertValue(complete("resources/templates/list", page(cursor), Map.of()), McpSchema.ListResourceTemplatesResult.class);
    }

    @Override
    public McpSchema.ReadResourceResult readResource(McpSchema.ReadResourceRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("uri", request.uri());
        return JSON.convertValue(rounds("resources/read", params, Map.of(Stateless.HEADER_NAME, HeaderValues.encode(request.uri())), null),
                McpSchema.ReadResourceResult.class);
    }

    @Override
    public McpSchema.ListPromptsResult listPrompts() { return listPrompts(null); }

    @Override
    public McpSchema.ListPromptsResult listPrompts(String cursor) {
        return JSON.convertValue(complete("prompts/list", page(cursor), Map.of()), McpSchema.ListPromptsResult.class);
    }

    @Override
    public McpSchema.GetPromptResult getPrompt(McpSchema.GetPromptRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", request.name());
        if (request.arguments() != null) params.put("arguments", request.arguments());
        return JSON.convertValue(rounds("prompts/get", params, Map.of(Stateless.HEADER_NAME, HeaderValues.encode(request.name())), null),
                McpSchema.GetPromptResult.class);
    }

    /** The revision has no {@code ping}: {@code server/discover} is the cheapest request every server must answer. */
    @Override
    public void ping() { complete(Stateless.DISCOVER, Map.of(), Map.of()); }

    @Override
    public void onToolsListChanged(Runnable listener) {
        toolsListeners.add(listener);
        if (discovery.toolsListChanged() && listening.compareAndSet(false, true)) {
            Thread.ofVirtual().name("mcp-listen-" + server).start(this::listen);
        }
    }

    @Override
    public void close() {
        closed = true;
        channel.close();
    }

    /** {@code params} with the request metadata every 2026-07-28 request carries. */
    static Map<String, Object> params(Map<String, Object> params) { return params(params, null); }

    /** {@code params} with the request metadata, and {@code progressToken} when the caller listens for progress. */
    static Map<String, Object> params(Map<String, Object> params, Progress progress) {
        Map<String, Object> out = new LinkedHashMap<>(params);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(Stateless.META_PROTOCOL_VERSION, Stateless.VERSION);
        meta.put(Stateless.META_CLIENT_CAPABILITIES, CAPABILITIES);
        meta.put(Stateless.META_CLIENT_INFO, CLIENT_INFO);
        if (progress != null) meta.put("progressToken", progress.token());
        out.put("_meta", meta);
        return out;
    }

    /** Sends {@code method} once and returns its result, which must be complete. */
    private Map<String, Object> complete(String method, Map<String, Object> params, Map<String, String> headers) {
        Map<String, Object> result = send(method, params, headers);
        if (Stateless.RESULT_INPUT_REQUIRED.equals(result.get("resultType"))) {
            throw new RpcError(method + ": the server asked for input on a request that cannot take any", null, 0);
        }
        return result;
    }

    /** Sends {@code method}, answering {@code input_required} rounds, and returns the complete result. */
    private Map<String, Object> rounds(String method, Map<String, Object> params, Map<String, String> headers, Progress progress) {
        Map<String, Object> attempt = params;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, Object> result = send(method, attempt, headers, progress);
            if (!Stateless.RESULT_INPUT_REQUIRED.equals(result.get("resultType"))) return result;
            attempt = new LinkedHashMap<>(params);
            if (result.get("inputRequests") instanceof Map<?, ?> requests && !requests.isEmpty()) {
                attempt.put("inputResponses", answer(method, requests));
            }
            if (result.get("requestState") instanceof String state) attempt.put("requestState", state);
        }
        throw new RpcError(method + ": the server still asked for input after " + MAX_ROUNDS + " rounds", null, 0);
    }

    private Map<String, Object> answer(String method, Map<?, ?> requests) {
        Map<String, Object> responses = new LinkedHashMap<>();
        for (var entry : requests.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> request) || !"elicitation/create".equals(request.get("method"))) {
                Object what = entry.getValue() instanceof Map<?, ?> m ? m.get("method") : entry.getValue();
                throw new RpcError(method + ": the server asked for " + what + ", which Lathe does not offer", null, 0);
            }
            Map<?, ?> p = request.get("params") instanceof Map<?, ?> m ? m : Map.of();
            McpSchema.ElicitResult result = elicitor.elicit(server, elicitation(p));
            responses.put(String.valueOf(entry.getKey()), JSON.convertValue(result, Map.class));
        }
        return responses;
    }

    @SuppressWarnings("unchecked")
    private static McpSchema.ElicitRequest elicitation(Map<?, ?> params) {
        String message = params.get("message") == null ? "" : String.valueOf(params.get("message"));
        if ("url".equals(params.get("mode"))) {
            return McpSchema.ElicitUrlRequest.builder(message, String.valueOf(params.get("url")), "").build();
        }
        Map<String, Object> schema = params.get("requestedSchema") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return McpSchema.ElicitFormRequest.builder(message, schema).build();
    }

    private Map<String, Object> send(String method, Map<String, Object> params, Map<String, String> headers) {
        return send(method, params, headers, null);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, Map<String, Object> params, Map<String, String> headers, Progress progress) {
        if (closed) throw new RpcError(method + ": the connection is closed", null, 0);
        Consumer<Map<String, Object>> notifications = progress == null ? n -> { } : progress::hear;
        Channel.Reply reply = channel.exchange(channel.nextId(), method, params(params, progress), headers, notifications, true);
        Map<String, Object> message = reply.message();
        if (message != null && message.get("error") instanceof Map<?, ?> error) {
            Integer code = error.get("code") instanceof Number n ? n.intValue() : null;
            throw new RpcError(method + ": " + error.get("message") + (code == null ? "" : " (" + code + ")"), code, reply.status());
        }
        if (!reply.isSuccess()) {
            throw new RpcError(method + ": HTTP " + reply.status() + (reply.body().isBlank() ? "" : " " + abbreviate(reply.body())), null, reply.status());
        }
        if (message == null || !(message.get("result") instanceof Map<?, ?> result)) {
            throw new RpcError(method + ": the server sent no response", null, reply.status());
        }
        Object type = result.get("resultType");
        if (type != null && !"complete".equals(type) && !Stateless.RESULT_INPUT_REQUIRED.equals(type)) {
            throw new RpcError(method + ": result type " + type + " is not supported", null, reply.status());
        }
        return (Map<String, Object>) result;
    }

    private void listen() {
        Duration wait = LISTEN_RETRY_FIRST;
        boolean first = true;
        while (!closed) {
            boolean[] acknowledged = {false};
            boolean missedChanges = !first;
            try {
                long id = channel.nextId();
                channel.exchange(id, Stateless.LISTEN, params(Map.of("notifications", Map.of("toolsListChanged", true))), Map.of(),
                        n -> {
                            Object method = n.get("method");
                            if ("notifications/subscriptions/acknowledged".equals(method)) {
                                acknowledged[0] = true;
                                if (missedChanges) toolsListeners.forEach(Runnable::run);
                            } else if (Stateless.TOOLS_LIST_CHANGED.equals(method)) {
                                toolsListeners.forEach(Runnable::run);
                            }
                        }, false);
            } catch (RuntimeException e) {
                // the stream broke or could not be opened: reopened below, after a pause
            }
            first = false;
            wait = acknowledged[0] ? LISTEN_RETRY_FIRST : Duration.ofMillis(Math.min(wait.toMillis() * 2, LISTEN_RETRY_MAX.toMillis()));
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A call's progress token and who hears its reports; other notifications on the call's stream are ignored. */
    record Progress(String token, Consumer<McpSchema.ProgressNotification> listener) {
        void hear(Map<String, Object> notification) {
            if (!Stateless.PROGRESS.equals(notification.get("method"))
                    || !(notification.get("params") instanceof Map<?, ?> params) || !token.equals(String.valueOf(params.get("progressToken")))) {
                return;
            }
            try {
                listener.accept(JSON.convertValue(params, McpSchema.ProgressNotification.class));
            } catch (RuntimeException malformed) {
                // a report without a number is not worth failing the call over
            }
        }
    }

    private static Map<String, Object> page(String cursor) {
        Map<String, Object> params = new HashMap<>();
        if (cursor != null && !cursor.isEmpty()) params.put("cursor", cursor);
        return params;
    }

    private static String abbreviate(String body) {
        String one = body.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private static String version() {
        String v = StatelessClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
