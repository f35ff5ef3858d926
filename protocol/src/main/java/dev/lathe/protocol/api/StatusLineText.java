package dev.lathe.protocol.api;

/**
 * {@code GET /sessions/{id}/status-line}: the first line the folder's status line command printed for the session, as
 * the command printed it (a client strips or shows its control characters), or empty when none is configured, it
 * printed nothing, failed or took too long (DESIGN §27).
 */
public record StatusLineText(String text) {}
