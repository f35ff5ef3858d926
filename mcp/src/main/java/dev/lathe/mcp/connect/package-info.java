/**
 * How Lathe reaches one MCP server (DESIGN §14): a local server as a child process in its own process group, its
 * stderr kept in a per-server log file, spoken to over stdio; a remote one over Streamable HTTP, with legacy SSE as
 * the fallback when Streamable HTTP is refused. Either way the era is probed first with {@code server/discover}: a
 * 2026-07-28 server gets the stateless client of {@code dev.lathe.mcp.stateless}, any other the SDK's
 * {@code initialize}. Each connection ends with everything it started. Owns no lifecycle
 * policy (that is {@code dev.lathe.mcp}); imports the MCP SDK, the JDK and {@code dev.lathe.mcp.oauth}
 * (whose {@code SdkAuthorization} signs a remote server's requests), {@code dev.lathe.mcp.client} and
 * {@code dev.lathe.mcp.stateless}.
 */
package dev.lathe.mcp.connect;
