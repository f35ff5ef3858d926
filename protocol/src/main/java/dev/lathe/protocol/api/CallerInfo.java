package dev.lathe.protocol.api;

/**
 * Answer of {@code GET /me}: who the server takes the caller for. {@code team}: the server has accounts (a team server,
 * DESIGN §20); without them the one user is the admin.
 */
public record CallerInfo(String name, boolean admin, boolean team) {}
