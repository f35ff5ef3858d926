package dev.lathe.protocol.api;

/** An entry of {@code GET /files}: {@code path} relative to the project, {@code type} {@code file | directory}. */
public record FileEntry(String name, String path, String type, long size, boolean ignored) {}
