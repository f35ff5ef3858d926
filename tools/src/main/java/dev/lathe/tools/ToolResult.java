package dev.lathe.tools;

import dev.lathe.protocol.session.Attachment;
import java.util.List;
import java.util.Map;

/**
 * What a tool produced: {@code output} for the model, {@code title} and {@code metadata} for clients (e.g. a
 * bash exit code, a diff, a truncation path); {@code attachments} go to the model beside the text (images).
 */
public record ToolResult(String output, String title, Map<String, String> metadata, List<Attachment> attachments) {
    public ToolResult {
        attachments = List.copyOf(attachments);
    }

    public ToolResult(String output, String title, Map<String, String> metadata) {
        this(output, title, metadata, List.of());
    }

    public static ToolResult of(String title, String output) { return new ToolResult(output, title, Map.of()); }
}
