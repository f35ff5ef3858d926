package dev.lathe.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * A connected MCP server, whatever revision it speaks: what the bridge (tools, resources, prompts) and the lifecycle
 * ask of one. Results are the SDK's {@link McpSchema} records for every revision, so the bridge converts one shape.
 *
 * <p>Calls block (Lathe runs them on virtual threads) and fail with a {@link RuntimeException} whose message says
 * why (the server's JSON-RPC error, an HTTP status, a timeout, a closed connection); none of them returns null.
 * A list is one page: {@code nextCursor} (null or empty on the last page) is given to the next call.
 */
public interface ServerClient extends AutoCloseable {

    /** The revision this client speaks to its server. */
    ProtocolRevision revision();

    McpSchema.ListToolsResult listTools();

    McpSchema.ListToolsResult listTools(String cursor);

    /**
     * Calls a tool. A server that needs the user's input first (elicitation) gets it through the connection's
     * {@code Elicitor}: as a server-to-client request (2025-11-25) or as an {@code input_required} round (2026-07-28).
     */
    McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request);

    /**
     * Calls a tool with a progress token of its own: each {@code notifications/progress} the server sends for it
     * reaches {@code progress} (on some background thread) while the call runs. A client whose revision carries no
     * progress calls the tool as {@link #callTool(McpSchema.CallToolRequest)} does and never tells {@code progress}.
     * The call is not timed out while progress keeps coming: its caller bounds the time between reports.
     */
    default McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, java.util.function.Consumer<McpSchema.ProgressNotification> progress) {
        return callTool(request);
    }

    McpSchema.ListResourcesResult listResources();

    McpSchema.ListResourcesResult listResources(String cursor);

    McpSchema.ReadResourceResult readResource(McpSchema.ReadResourceRequest request);

    /** One page of the server's resource templates ({@code resources/templates/list}); {@code cursor} null for the first. */
    McpSchema.ListResourceTemplatesResult listResourceTemplates(String cursor);

    McpSchema.ListPromptsResult listPrompts();

    McpSchema.ListPromptsResult listPrompts(String cursor);

    McpSchema.GetPromptResult getPrompt(McpSchema.GetPromptRequest request);

    /** Checks the server still answers ({@code ping}; {@code server/discover} on 2026-07-28, which has no ping). */
    void ping();

    /**
     * {@code listener} runs (on some background thread) each time the server says its tool list changed; registering
     * is what opens a 2026-07-28 server's {@code subscriptions/listen} stream, so only register when the list is used.
     */
    void onToolsListChanged(Runnable listener);

    /** Ends the connection without waiting on the server; never throws. */
    @Override
    void close();
}
