package dev.lathe.protocol.api;

/**
 * Answer of {@code POST /mcp/{name}/auth}: the sign-in to remote MCP server {@code server} started in the server, and
 * the user now opens {@code authorizationUrl} in a browser on the machine the server runs on (its redirect goes to a
 * listener on that machine's loopback address). How it ends arrives as the {@code mcp.auth} event; on success the
 * server is restarted ({@code mcp.status}).
 */
public record McpSignInStarted(String server, String authorizationUrl) {}
