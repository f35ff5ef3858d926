package dev.lathe.protocol.api;

import java.util.Optional;

/** Body of {@code POST /sessions/{id}/shell}: a command the user runs themselves; it and its output join the transcript. */
public record ShellRequest(String command, Optional<String> agent) {
    public static ShellRequest of(String command) { return new ShellRequest(command, Optional.empty()); }
}
