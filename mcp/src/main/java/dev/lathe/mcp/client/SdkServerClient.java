package dev.lathe.mcp.client;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server reached through the SDK's {@link McpSyncClient} after {@code initialize} (2025-11-25 and older). Built with
 * {@link #build}, its {@link #onToolsListChanged} listeners hear {@code notifications/tools/list_changed} (through
 * the SDK's {@code toolsChangeConsumer}).
 */
public final class SdkServerClient implements ServerClient {
    private final McpSyncClient client;
    private final List<Runnable> toolsListeners;

    /** Wraps an SDK client built elsewhere: {@link #onToolsListChanged} listeners are never told anything. */
    public SdkServerClient(McpSyncClient client) {
        this(client, new CopyOnWriteArrayList<>());
    }

    private SdkServerClient(McpSyncClient client, List<Runnable> toolsListeners) {
        this.client = client;
        this.toolsListeners = toolsListeners;
    }

    /** Builds the SDK client of {@code spec} (not yet initialized), its tool-list changes reaching this client's listeners. */
    public static SdkServerClient build(McpClient.SyncSpec spec) {
        List<Runnable> listeners = new CopyOnWriteArrayList<>();
        spec.toolsChangeConsumer(tools -> listeners.forEach(Runnable::run));
        return new SdkServerClient(spec.build(), listeners);
    }

    /** The SDK client, for what this interface does not carry ({@code initialize}, capabilities). */
    public McpSyncClient sdk() { return client; }

    @Override public ProtocolRevision revision() { return ProtocolRevision.SESSION; }

    @Override public McpSchema.ListToolsResult listTools() { return client.listTools(); }

    @Override public McpSchema.ListToolsResult listTools(String cursor) { return client.listTools(cursor); }

    @Override public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request) { return client.callTool(request); }

    @Override public McpSchema.ListResourcesResult listResources() { return client.listResources(); }

    @Override public McpSchema.ListResourcesResult listResources(String cursor) { return client.listResources(cursor); }

    @Override public McpSchema.ReadResourceResult readResource(McpSchema.ReadResourceRequest request) { return client.readResource(request); }

    @Override
    public McpSchema.ListResourceTemplatesResult listResourceTemplates(String cursor) {
        return cursor == null ? client.listResourceTemplates() : client.listResourceTemplates(cursor);
    }

    @Override public McpSchema.ListPromptsResult listPrompts() { return client.listPrompts(); }

    @Override public McpSchema.ListPromptsResult listPrompts(String cursor) { return client.listPrompts(cursor); }

    @Override public McpSchema.GetPromptResult getPrompt(McpSchema.GetPromptRequest request) { return client.getPrompt(request); }

    @Override public void ping() { client.ping(); }

    @Override public void onToolsListChanged(Runnable listener) { toolsListeners.add(listener); }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // the server may already be gone
        }
    }
}
