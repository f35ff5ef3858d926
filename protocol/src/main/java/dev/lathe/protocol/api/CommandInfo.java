package dev.lathe.protocol.api;

/** A slash command clients can offer; {@code source} is {@code builtin} or where a custom command was read from. */
public record CommandInfo(String name, String description, String source) {}
