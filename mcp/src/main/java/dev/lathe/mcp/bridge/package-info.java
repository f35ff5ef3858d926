/**
 * The bridge from a connected MCP server to Lathe's tool path (DESIGN §14, §18): a server's tools as
 * {@code dev.lathe.tools.Tool}s named {@code NAME_TOOL} ({@link dev.lathe.mcp.bridge.McpTool}), their results converted
 * to {@code ToolResult}s ({@link dev.lathe.mcp.bridge.CallResults}), the per-server tool list kept fresh across
 * {@code tools/list_changed} ({@link dev.lathe.mcp.bridge.ServerTools}), and the prompt budget: definitions that would
 * push the first request past DESIGN §16's budget deferred behind {@code tool_search}
 * ({@link dev.lathe.mcp.bridge.DeferredTools}, {@link dev.lathe.mcp.bridge.ToolSearch}); a server's resources read for
 * {@code @NAME:uri} mentions ({@link dev.lathe.mcp.bridge.ResourceMention} is the grammar,
 * {@link dev.lathe.mcp.bridge.ServerResources} the reading) and its prompts as {@code /NAME:prompt} commands
 * ({@link dev.lathe.mcp.bridge.ServerPrompts}, arguments read by {@code PromptArguments}); a server's elicitation put to the session whose
 * call runs on it, as its questions ({@link dev.lathe.mcp.bridge.QuestionElicitor} over {@link dev.lathe.mcp.bridge.RunningCalls}).
 *
 * <p>Owns no connection: it is handed a server's name and a connected {@code dev.lathe.mcp.client.ServerClient} (either
 * revision) by the connections of {@code dev.lathe.mcp.connect}. May import {@code dev.lathe.tools}, {@code dev.lathe.protocol}, the
 * MCP SDK and Jackson; never the core.
 */
package dev.lathe.mcp.bridge;
