package dev.lathe.acp;

import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.session.Wrapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code session/prompt}'s content blocks as a Lathe prompt: text as text; an image as a file part (a {@code data:}
 * URL) the model sees as an image; a link to a file as a note naming the file, which the model reads with its tools
 * (the editor sent no content); an embedded resource (a selection, an open buffer) as its text inside a
 * {@code <context>} block naming where it came from, or as a file part when it is an image. Audio is not offered in
 * {@code initialize}, so a block of it is refused.
 */
final class PromptContent {
    private PromptContent() {}

    static List<InputPart> of(JsonNode blocks) throws JsonRpcError {
        if (!blocks.isArray() || blocks.isEmpty()) throw JsonRpcError.invalidParams("prompt must be a non-empty array of content blocks");
        var parts = new ArrayList<InputPart>();
        for (JsonNode block : blocks) parts.add(part(block));
        return parts;
    }

    private static InputPart part(JsonNode block) throws JsonRpcError {
        String type = block.path("type").asString("");
        return switch (type) {
            case "text" -> new InputPart.Text(block.path("text").asString(""));
            case "image" -> {
                String mime = required(block, "mimeType");
                yield new InputPart.File(mime, block.path("uri").asString("image"), "data:" + mime + ";base64," + required(block, "data"));
            }
            case "resource_link" -> link(block);
            case "resource" -> embedded(block.path("resource"));
            case "audio" -> throw JsonRpcError.invalidParams("audio is not supported (promptCapabilities.audio is false)");
            default -> throw JsonRpcError.invalidParams("unknown content block type '" + type + "'");
        };
    }

    private static InputPart link(JsonNode block) throws JsonRpcError {
        String uri = required(block, "uri");
        String mime = block.path("mimeType").asString("");
        String shown = fileOrUri(uri);
        if (mime.startsWith("image/") && uri.startsWith("file:")) return new InputPart.File(mime, block.path("name").asString(shown), uri);
        return new InputPart.Text("[" + (uri.startsWith("file:") ? "file" : "link") + ": " + shown + "]");
    }

    private static InputPart embedded(JsonNode resource) throws JsonRpcError {
        String uri = required(resource, "uri");
        String mime = resource.path("mimeType").asString("");
        if (resource.has("text")) {
            return new InputPart.Text(Wrapper.CONTEXT.wrap(resource.path("text").asString(""), fileOrUri(uri)));
        }
        if (resource.has("blob") && mime.startsWith("image/")) {
            return new InputPart.File(mime, fileOrUri(uri), "data:" + mime + ";base64," + resource.path("blob").asString(""));
        }
        throw JsonRpcError.invalidParams("embedded resource " + uri + " has neither text nor an image blob");
    }

    /** A {@code file:} URI as the path it names (what the model and the tools understand), anything else as it is. */
    private static String fileOrUri(String uri) {
        if (!uri.startsWith("file:")) return uri;
        try {
            return Path.of(URI.create(uri)).toString();
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    private static String required(JsonNode node, String field) throws JsonRpcError {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) throw JsonRpcError.invalidParams("content block needs the string field '" + field + "'");
        return v.asString();
    }
}
