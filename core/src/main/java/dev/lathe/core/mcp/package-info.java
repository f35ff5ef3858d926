/**
 * The MCP servers of each open project (DESIGN §14): started in the background from the project's
 * {@code Config.mcp} when it opens, kept while its server list is unchanged, restarted as a whole when the list
 * changes, stopped with the project; and their tools as the turn loop's {@code ExtensionTools} (one {@code DeferredTools}
 * per project); their prompts and resources as {@code McpContent} ({@code ProjectMcpContent}: catalogs fetched when a
 * server connects, resources read for {@code @NAME:uri}, prompts expanded for {@code /NAME:prompt}). The servers' OAuth asks
 * the project's local-only mode through {@code McpOutbound}. Imports mcp (with its bridge), config, core.network (the
 * gate) and toolcall's {@code ExtensionTools} only; the server module, the turn loop, core.command and
 * core.info reach the servers through it.
 */
package dev.lathe.core.mcp;
