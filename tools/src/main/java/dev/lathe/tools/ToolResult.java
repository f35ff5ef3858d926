package dev.lathe.tools;

import java.util.Map;

/**
 * What a tool produced: {@code output} for the model, {@code title} and {@code metadata} for clients (e.g. a
 * bash exit code, a diff, a truncation path).
 */
public record ToolResult(String output, String title, Map<String, String> metadata) {
    public static ToolResult of(String title, String output) { return new ToolResult(output, title, Map.of()); }
}
