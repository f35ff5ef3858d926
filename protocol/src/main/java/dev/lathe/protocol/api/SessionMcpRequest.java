package dev.lathe.protocol.api;

import java.util.List;

/**
 * The body of {@code PUT /sessions/{id}/mcp}: every MCP server the client brings for the session, replacing those it
 * brought before; an empty list removes them all.
 */
public record SessionMcpRequest(List<SessionMcpServer> servers) {}
