package dev.lathe.mcp.bridge;

import dev.lathe.mcp.client.ServerClient;
import dev.lathe.protocol.session.Attachment;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Prompts of one connected server as slash commands {@code /NAME:prompt} (DESIGN §14). {@link #expand} fetches the
 * prompt ({@code prompts/get}) with the arguments read from the command line ({@link PromptArguments}) and gives its
 * messages for the user's message: text as it is (an assistant message marked as such), embedded resources as
 * {@link ServerResources} attaches them (text in a {@code <resource>} block, images and PDFs as attachments). A missing
 * required argument or a server error is a {@link PromptFailure} whose message the user reads.
 */
public final class ServerPrompts {
    private final String server;
    private final ServerClient client;

    public ServerPrompts(String server, ServerClient client) {
        this.server = server;
        this.client = client;
    }

    /** One declared argument of a prompt. */
    public record Argument(String name, String description, boolean required) {}

    /** One server prompt as a command: {@code command} ({@code NAME:prompt}, no slash), the prompt's name, its description and arguments in order. */
    public record PromptCommand(String command, String prompt, String description, List<Argument> arguments) {
        public PromptCommand {
            arguments = List.copyOf(arguments);
        }

        /** The required arguments' names, in order. */
        public List<String> required() { return arguments.stream().filter(Argument::required).map(Argument::name).toList(); }

        /** How the arguments are written after the command: {@code city [state]}. */
        public String usage() {
            return String.join(" ", arguments.stream().map(a -> a.required() ? a.name() : "[" + a.name() + "]").toList());
        }
    }

    /** What a prompt puts in the user's message: its text and the files its embedded resources attach. */
    public record Expanded(String text, List<Attachment> attachments) {
        public Expanded {
            attachments = List.copyOf(attachments);
        }
    }

    /** Why a prompt could not be expanded, said for the user. */
    public static final class PromptFailure extends RuntimeException {
        public PromptFailure(String message) { super(message); }
    }

    /** The server's prompts as commands named {@code NAME:prompt}, in the server's order. */
    public List<PromptCommand> commands() {
        var out = new ArrayList<PromptCommand>();
        String cursor = null;
        do {
            McpSchema.ListPromptsResult page = cursor == null ? client.listPrompts() : client.listPrompts(cursor);
            for (McpSchema.Prompt p : page.prompts()) {
                List<McpSchema.PromptArgument> args = p.arguments() == null ? List.of() : p.arguments();
                out.add(new PromptCommand(server + ":" + p.name(), p.name(), Optional.ofNullable(p.description()).orElse(""),
                        args.stream().map(a -> new Argument(a.name(), Optional.ofNullable(a.description()).orElse(""), Boolean.TRUE.equals(a.required()))).toList()));
            }
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return out;
    }

    /** What {@code command} run with {@code line} (the text after the command's name) puts in the user's message. */
    public Expanded expand(PromptCommand command, String line) {
        PromptArguments.Read read = PromptArguments.read(command, line);
        List<String> missing = command.required().stream().filter(r -> !read.values().containsKey(r)).toList();
        if (!missing.isEmpty()) {
            throw new PromptFailure("/" + command.command() + " needs " + String.join(", ", missing) + " (usage: /" + command.command() + " "
                    + command.usage() + ")");
        }
        McpSchema.GetPromptResult result;
        try {
            result = client.getPrompt(new McpSchema.GetPromptRequest(command.prompt(), new LinkedHashMap<String, Object>(read.values())));
        } catch (RuntimeException e) {
            throw new PromptFailure("MCP server " + server + " could not give /" + command.command() + ": " + ServerResources.message(e));
        }
        var out = new ArrayList<String>();
        var attachments = new ArrayList<Attachment>();
        for (McpSchema.PromptMessage m : result.messages() == null ? List.<McpSchema.PromptMessage>of() : result.messages()) {
            String text = switch (m.content()) {
                case McpSchema.TextContent t -> t.text();
                case McpSchema.EmbeddedResource r -> resource(attachments, r.resource());
                case McpSchema.ImageContent i -> {
                    attachments.add(new Attachment(i.mimeType(), "image " + (attachments.size() + 1), "data:" + i.mimeType() + ";base64," + i.data()));
                    yield "[image " + attachments.size() + " (" + i.mimeType() + ") attached]";
                }
                case McpSchema.ResourceLink l -> "[resource link: " + l.name() + " <" + l.uri() + ">]";
                default -> "[" + m.content().type() + " content omitted]";
            };
            out.add(m.role() == McpSchema.Role.ASSISTANT ? "(assistant) " + text : text);
        }
        read.extra().ifPresent(out::add);
        return new Expanded(String.join("\n\n", out), attachments);
    }

    private String resource(List<Attachment> attachments, McpSchema.ResourceContents contents) {
        // the same conversion as an @-attached resource, without a second request
        try {
            return new ServerResources(server, client).convert(attachments, contents);
        } catch (ServerResources.ResourceFailure e) {
            throw new PromptFailure(e.getMessage());
        }
    }
}
