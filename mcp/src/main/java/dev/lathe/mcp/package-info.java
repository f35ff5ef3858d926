/**
 * MCP servers a user configured, as first-class parts of the tool path (DESIGN §14, issue 26): their connections
 * (stdio, Streamable HTTP, legacy SSE) and lifecycle, their tools as {@code dev.lathe.tools.Tool}s named
 * {@code NAME_TOOL}, their resources and prompts, and OAuth for remote servers. Built on the official MCP Java SDK.
 * Imports tools and protocol (DESIGN §2); the core wires it in.
 *
 * <p>This package's public API: {@link dev.lathe.mcp.McpServerSpec} (one configured server, bound by the core's
 * config), {@link dev.lathe.mcp.McpConnections} (starts a project's servers in the background, keeps a
 * {@link dev.lathe.mcp.McpServerStatus} per server, restarts with backoff, hands out the connected
 * {@code dev.lathe.mcp.client.ServerClient}, for either revision), {@link dev.lathe.mcp.McpOptions}. Transports are in
 * {@code dev.lathe.mcp.connect}; the stateless 2026-07-28 revision, which the SDK does not speak, in
 * {@code dev.lathe.mcp.stateless} (decision 91).
 */
package dev.lathe.mcp;
