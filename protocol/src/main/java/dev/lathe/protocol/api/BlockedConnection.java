package dev.lathe.protocol.api;

/**
 * One outbound connection local-only mode refused ({@code GET /network/blocked}, the {@code network.blocked} event):
 * {@code folder} the project whose session tried it (empty for the server's own, the catalog refresh), {@code host}
 * what would have been contacted, {@code by} who tried ({@code model}, {@code webfetch}, {@code mcp NAME}, ...), and
 * {@code at} when it was first refused (epoch ms). The same folder, host and {@code by} is one entry however often tried.
 */
public record BlockedConnection(String folder, String host, String by, long at) {}
