/**
 * The stateless 2026-07-28 revision of MCP over Streamable HTTP, which the SDK 2.1.0 does not speak: the
 * {@code server/discover} {@link dev.lathe.mcp.stateless.Probe} that tells a 2026-07-28 server from an older one,
 * {@link dev.lathe.mcp.stateless.HttpChannel} (one POST per request, JSON or SSE answers, the standard headers, OAuth
 * through the SDK hooks Lathe already implements), and {@link dev.lathe.mcp.stateless.StatelessClient} (request
 * metadata, multi round-trip requests answered through the {@code Elicitor}, {@code subscriptions/listen} for tool
 * list changes). Decision 91. Imports the SDK's schema and JSON mapper, {@code dev.lathe.mcp.client},
 * {@code dev.lathe.mcp.oauth} and {@link dev.lathe.mcp.Elicitor}.
 */
package dev.lathe.mcp.stateless;
