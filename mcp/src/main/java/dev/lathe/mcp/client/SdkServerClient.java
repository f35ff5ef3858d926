package dev.lathe.mcp.client;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A server reached through the SDK's {@link McpSyncClient} after {@code initialize} (2025-11-25 and older). Built with
 * {@link #build}, its {@link #onToolsListChanged} listeners hear {@code notifications/tools/list_changed} (through
 * the SDK's {@code toolsChangeConsumer}), and a tool call with a progress listener hears the server's
 * {@code notifications/progress} for its own token.
 *
 * <p>Timeouts: the SDK has one request timeout per client, which cannot be reset when progress comes, so a client
 * built by {@link #build} gives the SDK {@link #LONGEST_CALL} and bounds every request but a tool call to its own
 * {@code timeout} here; a tool call's caller bounds the time between progress reports ({@code McpTool}), as MCP's
 * {@code resetTimeoutOnProgress} does.
 */
public final class SdkServerClient implements ServerClient {
    /** The longest a tool call may run while its server keeps reporting progress (MCP's {@code maxTotalTimeout}). */
    public static final Duration LONGEST_CALL = Duration.ofHours(1);

    private static final AtomicLong TOKENS = new AtomicLong();

    private final McpSyncClient client;
    private final List<Runnable> toolsListeners;
    private final Map<Object, Consumer<McpSchema.ProgressNotification>> progressByToken;
    /** Each request but a tool call fails after this; null when the SDK's own timeout bounds them (a wrapped client). */
    private final Duration timeout;

    /** Wraps an SDK client built elsewhere: {@link #onToolsListChanged} listeners and progress listeners are never told anything. */
    public SdkServerClient(McpSyncClient client) {
        this(client, new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>(), null);
    }

    private SdkServerClient(McpSyncClient client, List<Runnable> toolsListeners,
                            Map<Object, Consumer<McpSchema.ProgressNotification>> progressByToken, Duration timeout) {
        this.client = client;
        this.toolsListeners = toolsListeners;
        this.progressByToken = progressByToken;
        this.timeout = timeout;
    }

    /**
     * Builds the SDK client of {@code spec} (not yet initialized), its tool-list changes and progress notifications
     * reaching this client's listeners; each request but a tool call fails after {@code timeout}.
     */
    public static SdkServerClient build(McpClient.SyncSpec spec, Duration timeout) {
        List<Runnable> listeners = new CopyOnWriteArrayList<>();
        Map<Object, Consumer<McpSchema.ProgressNotification>> progress = new ConcurrentHashMap<>();
        spec.toolsChangeConsumer(tools -> listeners.forEach(Runnable::run));
        spec.progressConsumer(note -> {
            Consumer<McpSchema.ProgressNotification> listener = note.progressToken() == null ? null : progressByKey(progress, note.progressToken());
            if (listener != null) listener.accept(note);
        });
        spec.requestTimeout(LONGEST_CALL.compareTo(timeout) > 0 ? LONGEST_CALL : timeout);
        return new SdkServerClient(spec.build(), listeners, progress, timeout);
    }

    /** A token comes back as JSON gave it: a string as sent, a number as whatever the mapper made of it. */
    private static Consumer<McpSchema.ProgressNotification> progressByKey(Map<Object, Consumer<McpSchema.ProgressNotification>> map, Object token) {
        return map.get(String.valueOf(token));
    }

    /** The SDK client, for what this interface does not carry ({@code initialize}, capabilities). */
    public McpSyncClient sdk() { return client; }

    @Override public ProtocolRevision revision() { return ProtocolRevision.SESSION; }

    @Override public McpSchema.ListToolsResult listTools() { return bounded(() -> client.listTools()); }

    @Override public McpSchema.ListToolsResult listTools(String cursor) { return bounded(() -> client.listTools(cursor)); }

    @Override public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request) { return bounded(() -> client.callTool(request)); }

    @Override
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, Consumer<McpSchema.ProgressNotification> progress) {
        String token = "lathe-" + TOKENS.incrementAndGet();
        var meta = new java.util.HashMap<String, Object>(request.meta() == null ? Map.of() : request.meta());
        meta.put("progressToken", token);
        progressByToken.put(token, progress);
        try {
            return client.callTool(new McpSchema.CallToolRequest(request.name(), request.arguments(), meta));
        } finally {
            progressByToken.remove(token);
        }
    }

    @Override public McpSchema.ListResourcesResult listResources() { return bounded(() -> client.listResources()); }

    @Override public McpSchema.ListResourcesResult listResources(String cursor) { return bounded(() -> client.listResources(cursor)); }

    @Override public McpSchema.ReadResourceResult readResource(McpSchema.ReadResourceRequest request) { return bounded(() -> client.readResource(request)); }

    @Override
    public McpSchema.ListResourceTemplatesResult listResourceTemplates(String cursor) {
        return bounded(() -> cursor == null ? client.listResourceTemplates() : client.listResourceTemplates(cursor));
    }

    @Override public McpSchema.ListPromptsResult listPrompts() { return bounded(() -> client.listPrompts()); }

    @Override public McpSchema.ListPromptsResult listPrompts(String cursor) { return bounded(() -> client.listPrompts(cursor)); }

    @Override public McpSchema.GetPromptResult getPrompt(McpSchema.GetPromptRequest request) { return bounded(() -> client.getPrompt(request)); }

    @Override public void ping() {
        bounded(() -> {
            client.ping();
            return null;
        });
    }

    @Override public void onToolsListChanged(Runnable listener) { toolsListeners.add(listener); }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // the server may already be gone
        }
    }

    /**
     * {@code request} run within {@link #timeout} (the SDK's own is {@link #LONGEST_CALL}, for tool calls). On
     * timeout it fails as the SDK's timeout did (a {@link TimeoutException} cause), and the request is left to
     * the SDK's timeout to end.
     */
    private <T> T bounded(Supplier<T> request) {
        if (timeout == null) return request.get();
        var result = new CompletableFuture<T>();
        Thread.ofVirtual().name("mcp-request").start(() -> {
            try {
                result.complete(request.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
