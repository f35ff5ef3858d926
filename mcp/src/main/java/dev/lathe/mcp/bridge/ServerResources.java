package dev.lathe.mcp.bridge;

import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Wrapper;
import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Resources of one connected server, attached to a prompt with {@code @NAME:uri} (DESIGN §14, grammar in
 * {@link ResourceMention}). {@link #read} asks the server ({@code resources/read}) and turns the contents into what
 * the user message carries: each text content (and each blob whose type is text) in a
 * {@code <resource uri="…">} block, cut like a file read (the first {@value #MAX_LINES} lines and
 * {@value #MAX_BYTES} bytes); images and PDFs as {@link Attachment}s with a {@code data:} URL (at most
 * {@value #MAX_ATTACHMENT_BYTES} bytes each, as the read tool attaches files); other blobs as a line describing them. A
 * resource that cannot be read is a {@link ResourceFailure} whose message the user reads.
 */
public final class ServerResources {
    static final int MAX_LINES = 2000;
    static final int MAX_BYTES = 50 * 1024;
    static final long MAX_ATTACHMENT_BYTES = 5L * 1024 * 1024;

    private final String server;
    private final ServerClient client;

    public ServerResources(String server, ServerClient client) {
        this.server = server;
        this.client = client;
    }

    public String server() { return server; }

    /** A resource read for a prompt: {@code text} for the model, {@code attachments} its images and PDFs. */
    public record Attached(String uri, String text, List<Attachment> attachments) {
        public Attached {
            attachments = List.copyOf(attachments);
        }
    }

    /** Why a resource could not be attached, said for the user. */
    public static final class ResourceFailure extends RuntimeException {
        public ResourceFailure(String message) { super(message); }
    }

    /** One resource or resource template the server lists, for completing {@code @NAME:} in a client. */
    public record Listed(String uri, String name, String description, String mimeType, boolean template) {}

    /** Reads {@code uri}. @throws ResourceFailure when the server refuses or fails, or a content is too large */
    public Attached read(String uri) {
        McpSchema.ReadResourceResult result;
        try {
            result = client.readResource(new McpSchema.ReadResourceRequest(uri));
        } catch (RuntimeException e) {
            throw new ResourceFailure("@" + server + ":" + uri + " could not be read: " + message(e));
        }
        var attachments = new ArrayList<Attachment>();
        var text = new ArrayList<String>();
        List<McpSchema.ResourceContents> contents = result.contents() == null ? List.of() : result.contents();
        for (McpSchema.ResourceContents c : contents) text.add(convert(attachments, c));
        if (text.isEmpty()) text.add(Wrapper.RESOURCE.wrap("", uri));
        return new Attached(uri, String.join("\n\n", text), attachments);
    }

    /** One content of a resource as text for the model; its image or PDF added to {@code attachments}. */
    String convert(List<Attachment> attachments, McpSchema.ResourceContents c) {
        return switch (c) {
            case McpSchema.TextResourceContents t -> block(t.uri(), t.mimeType(), t.text());
            case McpSchema.BlobResourceContents b when isText(b.mimeType()) ->
                    block(b.uri(), b.mimeType(), new String(decode(b), StandardCharsets.UTF_8));
            case McpSchema.BlobResourceContents b when isAttachable(b.mimeType()) -> {
                long size = b.blob().length() * 3L / 4;
                if (size > MAX_ATTACHMENT_BYTES) {
                    throw new ResourceFailure("@" + server + ":" + b.uri() + " is too large to attach (" + size / 1024 + " KB; at most 5 MB)");
                }
                attachments.add(new Attachment(b.mimeType(), b.uri(), "data:" + b.mimeType() + ";base64," + b.blob()));
                yield "[" + b.uri() + " (" + b.mimeType() + ") attached]";
            }
            case McpSchema.BlobResourceContents b -> "[resource " + b.uri() + " (" + Optional.ofNullable(b.mimeType()).orElse("binary") + ", "
                    + b.blob().length() * 3L / 4 + " bytes) omitted: binary]";
            default -> "[resource " + c.uri() + " of an unsupported kind]";
        };
    }

    private byte[] decode(McpSchema.BlobResourceContents b) {
        try {
            return Base64.getMimeDecoder().decode(b.blob());
        } catch (IllegalArgumentException e) {
            throw new ResourceFailure("@" + server + ":" + b.uri() + " could not be read: the server sent a blob that is not base64");
        }
    }

    /** A text content in the block tool results use, cut to the read tool's window with a note when longer. */
    static String block(String uri, String mime, String text) {
        // the server's text, attached to the user's prompt: escaped, it cannot end the block and write on as the user
        return mime == null ? Wrapper.RESOURCE.wrap(capped(text), uri) : Wrapper.TYPED_RESOURCE.wrap(capped(text), uri, mime);
    }

    static String capped(String text) {
        List<String> lines = text.lines().toList();
        var kept = new StringBuilder();
        int bytes = 0;
        int count = 0;
        for (String line : lines) {
            int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (count >= MAX_LINES || bytes + size > MAX_BYTES) break;
            kept.append(line).append('\n');
            bytes += size;
            count++;
        }
        if (count == lines.size()) return text.stripTrailing();
        return kept + "(Resource truncated: " + (lines.size() - count) + " of " + lines.size() + " lines omitted at the end, as a file read is cut.)";
    }

    private static boolean isText(String mime) {
        if (mime == null) return false;
        String m = mime.toLowerCase(java.util.Locale.ROOT);
        return m.startsWith("text/") || m.equals("application/json") || m.endsWith("+json") || m.endsWith("+xml") || m.equals("application/xml")
                || m.equals("application/yaml") || m.equals("application/javascript");
    }

    private static boolean isAttachable(String mime) {
        return mime != null && (mime.startsWith("image/") || mime.equals("application/pdf"));
    }

    /** The server's resources then its resource templates (every page of each), for completion. */
    public List<Listed> list() {
        var out = new ArrayList<Listed>();
        String cursor = null;
        do {
            McpSchema.ListResourcesResult page = cursor == null ? client.listResources() : client.listResources(cursor);
            for (McpSchema.Resource r : page.resources()) out.add(new Listed(r.uri(), r.name(), Optional.ofNullable(r.description()).orElse(""),
                    Optional.ofNullable(r.mimeType()).orElse(""), false));
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        try {
            cursor = null;
            do {
                McpSchema.ListResourceTemplatesResult page = cursor == null ? client.listResourceTemplates(null) : client.listResourceTemplates(cursor);
                for (McpSchema.ResourceTemplate t : page.resourceTemplates()) out.add(new Listed(t.uriTemplate(), t.name(),
                        Optional.ofNullable(t.description()).orElse(""), Optional.ofNullable(t.mimeType()).orElse(""), true));
                cursor = page.nextCursor();
            } while (cursor != null && !cursor.isEmpty());
        } catch (RuntimeException e) {
            // templates are optional (older servers answer "method not found"): the resources alone still complete
        }
        return out;
    }

    static String message(RuntimeException e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) t = t.getCause();
        return Optional.ofNullable(t.getMessage()).filter(m -> !m.isBlank()).orElse(t.getClass().getSimpleName());
    }
}
