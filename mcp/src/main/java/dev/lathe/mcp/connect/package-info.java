/**
 * How Lathe reaches one MCP server (DESIGN §14): a local server as a child process in its own process group, its
 * stderr kept in a per-server log file, spoken to over stdio; a remote one over Streamable HTTP, with legacy SSE as
 * the fallback when Streamable HTTP is refused. Each connection ends with everything it started. Owns no lifecycle
 * policy (that is {@code dev.lathe.mcp}); imports the MCP SDK, the JDK and {@code dev.lathe.mcp.oauth}
 * (whose {@code SdkAuthorization} signs a remote server's requests).
 */
package dev.lathe.mcp.connect;
