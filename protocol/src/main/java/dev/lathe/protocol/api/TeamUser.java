package dev.lathe.protocol.api;

/** An account of a team server as {@code GET /users} lists it (DESIGN §20 "Users"): never its token. */
public record TeamUser(String name, boolean admin, long createdAt) {}
