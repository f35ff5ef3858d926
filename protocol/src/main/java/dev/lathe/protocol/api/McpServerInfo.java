package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * One configured MCP server of a folder as Lathe sees it now (DESIGN §14): its configured {@code name}, its
 * {@code status} ({@code starting|connected|failed|disabled|needs_auth}), the last error (kept across a restart so a
 * client can say why a server is down), and how many times it was restarted.
 */
public record McpServerInfo(String name, String status, Optional<String> error, int restarts) {}
