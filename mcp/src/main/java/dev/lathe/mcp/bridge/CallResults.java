package dev.lathe.mcp.bridge;

import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MCP {@code tools/call} result as a Lathe {@link ToolResult}, in the shapes every provider codec already carries:
 * text blocks joined by blank lines; images (and image blobs of embedded resources) as {@link Attachment}s with a
 * {@code data:} URL and a line saying where they are; text resources inline in a {@code <resource uri="…">} block;
 * other blobs, audio and resource links as a line describing them; structured content as its JSON when no text
 * block carries it. A result flagged {@code isError} becomes a {@link ToolFailure}, so the model reads it as an error.
 */
public final class CallResults {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The metadata key of a result's structured content as JSON: what Code Mode's {@code tools.NAME(args)} returns parsed. */
    public static final String STRUCTURED = "mcp.structuredContent";

    private CallResults() {}

    public static ToolResult convert(String toolName, McpSchema.CallToolResult result) {
        var text = new ArrayList<String>();
        var attachments = new ArrayList<Attachment>();
        boolean hasText = false;
        for (McpSchema.Content c : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            switch (c) {
                case McpSchema.TextContent t -> { text.add(t.text()); hasText = true; }
                case McpSchema.ImageContent i -> text.add(image(attachments, i.mimeType(), i.data(), "image"));
                case McpSchema.AudioContent a -> text.add("[audio (" + a.mimeType() + ") omitted: the model cannot hear it]");
                case McpSchema.EmbeddedResource r -> text.add(resource(attachments, r.resource()));
                case McpSchema.ResourceLink l -> text.add("[resource link: " + l.name() + " <" + l.uri() + ">"
                        + (l.mimeType() == null ? "" : " (" + l.mimeType() + ")") + (l.description() == null ? "" : " " + l.description()) + "]");
                default -> text.add("[unsupported content of type " + c.type() + "]");
            }
        }
        if (result.structuredContent() != null && !hasText) text.add(JSON.writeValueAsString(result.structuredContent()));
        String output = String.join("\n\n", text);
        if (Boolean.TRUE.equals(result.isError())) throw new ToolFailure(output.isBlank() ? toolName + " failed without a message" : output);
        Map<String, String> metadata = result.structuredContent() == null ? Map.of() : Map.of(STRUCTURED, JSON.writeValueAsString(result.structuredContent()));
        return new ToolResult(output, toolName, metadata, attachments);
    }

    /** A resource's contents as text for the model, its image blobs added to {@code attachments}. */
    static String resource(List<Attachment> attachments, McpSchema.ResourceContents contents) {
        return switch (contents) {
            case McpSchema.TextResourceContents t -> t.mimeType() == null ? Wrapper.RESOURCE.wrap(t.text(), t.uri())
                    : Wrapper.TYPED_RESOURCE.wrap(t.text(), t.uri(), t.mimeType());
            case McpSchema.BlobResourceContents b when b.mimeType() != null && b.mimeType().startsWith("image/") ->
                    image(attachments, b.mimeType(), b.blob(), b.uri());
            case McpSchema.BlobResourceContents b -> "[resource " + b.uri() + " (" + (b.mimeType() == null ? "binary" : b.mimeType()) + ", "
                    + b.blob().length() * 3 / 4 + " bytes) omitted: binary]";
            default -> "[resource " + contents.uri() + " of an unsupported kind]";
        };
    }

    private static String image(List<Attachment> attachments, String mime, String base64, String name) {
        attachments.add(new Attachment(mime, name, "data:" + mime + ";base64," + base64));
        return "[image " + attachments.size() + ": " + name + " (" + mime + "), attached]";
    }
}
