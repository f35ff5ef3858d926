package dev.lathe.tools;

import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.ToolDisplay;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a tool produced: {@code output} for the model, {@code title} for clients, {@code metadata} string facts for
 * scripts (e.g. a bash exit code, a truncation path), {@code attachments} for the model beside the text (images),
 * {@code changedFiles} the files the call changed (relative to the project with {@code /}, absolute outside it; a
 * tool that declares {@link Effect#WRITES_FILES} lists every one), {@code display} what a client shows, typed.
 */
public record ToolResult(String output, String title, Map<String, String> metadata, List<Attachment> attachments,
        List<String> changedFiles, Optional<ToolDisplay> display) {
    public ToolResult {
        metadata = Map.copyOf(metadata);
        attachments = List.copyOf(attachments);
        changedFiles = List.copyOf(changedFiles);
    }

    public ToolResult(String output, String title, Map<String, String> metadata, List<Attachment> attachments) {
        this(output, title, metadata, attachments, List.of(), Optional.empty());
    }

    public ToolResult(String output, String title, Map<String, String> metadata) {
        this(output, title, metadata, List.of());
    }

    public static ToolResult of(String title, String output) { return new ToolResult(output, title, Map.of()); }

    public ToolResult withOutput(String newOutput) {
        return new ToolResult(newOutput, title, metadata, attachments, changedFiles, display);
    }

    public ToolResult withMetadata(Map<String, String> newMetadata) {
        return new ToolResult(output, title, newMetadata, attachments, changedFiles, display);
    }

    public ToolResult withDisplay(ToolDisplay newDisplay) {
        return new ToolResult(output, title, metadata, attachments, changedFiles, Optional.of(newDisplay));
    }

    /** This result reporting {@code files} as the ones the call changed. */
    public ToolResult withChangedFiles(List<String> files) {
        return new ToolResult(output, title, metadata, attachments, files, display);
    }
}
