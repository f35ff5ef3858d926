package dev.lathe.protocol.api;

/** Body of {@code GET /health}: nothing but liveness and version, since it needs no token. */
public record Health(boolean healthy, String version) {}
