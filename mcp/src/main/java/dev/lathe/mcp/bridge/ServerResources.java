package dev.lathe.mcp.bridge;

import dev.lathe.protocol.session.Attachment;
import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resources of one connected server attached to a prompt with {@code @NAME:uri} (DESIGN §14): the mention's server
 * name is the configured name (as in {@code NAME_TOOL}, before any character is replaced), the URI runs to the next
 * whitespace. A resource is read ({@code resources/read}) when the prompt is taken in and becomes text for the model
 * (each text content in a {@code <resource uri="…">} block, as in tool results) and image attachments. A resource that
 * cannot be read becomes a line saying so: a prompt is never refused because a server is down.
 */
public final class ServerResources {
    /** {@code @NAME:uri}: a mention preceded by a start of text or whitespace, so an e-mail address is not one. */
    public static final Pattern MENTION = Pattern.compile("(?<=^|\\s)@([A-Za-z0-9_.-]+):(\\S+)");

    private final String server;
    private final ServerClient client;

    public ServerResources(String server, ServerClient client) {
        this.server = server;
        this.client = client;
    }

    public String server() { return server; }

    /** A resource read for a prompt: {@code text} for the model, {@code attachments} its images. */
    public record Attached(String uri, String text, List<Attachment> attachments) {
        public Attached {
            attachments = List.copyOf(attachments);
        }
    }

    /** The {@code @NAME:uri} mentions in {@code prompt} naming {@code server}, in order: their URIs. */
    public static List<String> mentions(String prompt, String server) {
        var out = new ArrayList<String>();
        Matcher m = MENTION.matcher(prompt);
        while (m.find()) if (m.group(1).equals(server)) out.add(m.group(2));
        return out;
    }

    /** Reads {@code uri}; a failure is said in the text, never thrown. */
    public Attached read(String uri) {
        var attachments = new ArrayList<Attachment>();
        try {
            McpSchema.ReadResourceResult result = client.readResource(new McpSchema.ReadResourceRequest(uri));
            var text = new ArrayList<String>();
            for (McpSchema.ResourceContents c : result.contents()) text.add(CallResults.resource(attachments, c));
            return new Attached(uri, String.join("\n\n", text), attachments);
        } catch (RuntimeException e) {
            return new Attached(uri, "[resource @" + server + ":" + uri + " could not be read: "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()) + "]", List.of());
        }
    }

    /** The server's resources (every page), for completing {@code @NAME:} in a client. */
    public List<McpSchema.Resource> list() {
        var out = new ArrayList<McpSchema.Resource>();
        String cursor = null;
        do {
            McpSchema.ListResourcesResult page = cursor == null ? client.listResources() : client.listResources(cursor);
            out.addAll(page.resources());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return out;
    }
}
