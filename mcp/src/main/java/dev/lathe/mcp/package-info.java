/**
 * MCP servers a user configured, as first-class parts of the tool path (DESIGN §14, issue 26): their connections
 * (stdio, Streamable HTTP, legacy SSE) and lifecycle, their tools as {@code dev.lathe.tools.Tool}s named
 * {@code NAME_TOOL}, their resources and prompts, and OAuth for remote servers. Built on the official MCP Java SDK.
 * Imports tools and protocol (DESIGN §2); the core wires it in.
 */
package dev.lathe.mcp;
