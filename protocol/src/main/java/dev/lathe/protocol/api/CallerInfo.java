package dev.lathe.protocol.api;

/**
 * Answer of {@code GET /me}: who the server takes the caller for. {@code team}: the server has accounts (a team server,
 * DESIGN §20); without them the one user is the admin. {@code nodeUser}: the caller is the node's own OS user (its
 * {@code server.json} token), the only one who may import this host's harness history (DESIGN §26).
 */
public record CallerInfo(String name, boolean admin, boolean team, boolean nodeUser) {}
