package dev.lathe.protocol.api;

import java.util.List;

/**
 * A slash command clients can offer; {@code source} is {@code builtin}, where a custom command was read from, or
 * {@code mcp:SERVER} for a prompt of that MCP server (whose {@code name} is {@code SERVER:prompt}). {@code arguments}
 * are the ones it declares, in order (only MCP prompts declare them; others take free text).
 */
public record CommandInfo(String name, String description, String source, List<Argument> arguments) {
    public CommandInfo {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    public CommandInfo(String name, String description, String source) {
        this(name, description, source, List.of());
    }

    /** One declared argument: given by position or as {@code name=value}. */
    public record Argument(String name, String description, boolean required) {}
}
