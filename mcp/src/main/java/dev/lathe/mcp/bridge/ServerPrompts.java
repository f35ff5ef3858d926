package dev.lathe.mcp.bridge;

import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompts of one connected server as slash commands {@code /NAME:prompt} (DESIGN §14). A command's arguments are
 * given as the custom commands' are, separated by whitespace, and assigned to the prompt's arguments in the order
 * the server lists them; the last argument takes the rest of the line. {@link #expand} fetches the prompt
 * ({@code prompts/get}) and gives its messages' text for the user's message (each assistant message marked as such);
 * a missing required argument or a server error is a {@link PromptFailure} whose message the user reads.
 */
public final class ServerPrompts {
    private final String server;
    private final ServerClient client;

    public ServerPrompts(String server, ServerClient client) {
        this.server = server;
        this.client = client;
    }

    /** One server prompt as a command: {@code command} without the slash, its argument names in order, its description. */
    public record PromptCommand(String command, String prompt, String description, List<String> arguments, List<String> required) {
        public PromptCommand {
            arguments = List.copyOf(arguments);
            required = List.copyOf(required);
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
                out.add(new PromptCommand(server + ":" + p.name(), p.name(), p.description() == null ? "" : p.description(),
                        args.stream().map(McpSchema.PromptArgument::name).toList(),
                        args.stream().filter(a -> Boolean.TRUE.equals(a.required())).map(McpSchema.PromptArgument::name).toList()));
            }
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return out;
    }

    /** The text {@code command} run with {@code line} (what follows the command name) puts in the user's message. */
    public String expand(PromptCommand command, String line) {
        Map<String, Object> values = new LinkedHashMap<>();
        String rest = line.strip();
        List<String> names = command.arguments();
        for (int i = 0; i < names.size() && !rest.isEmpty(); i++) {
            if (i == names.size() - 1) {
                values.put(names.get(i), rest);
                rest = "";
            } else {
                String[] split = rest.split("\\s+", 2);
                values.put(names.get(i), split[0]);
                rest = split.length > 1 ? split[1] : "";
            }
        }
        List<String> missing = command.required().stream().filter(r -> !values.containsKey(r)).toList();
        if (!missing.isEmpty()) {
            throw new PromptFailure("/" + command.command() + " needs " + String.join(", ", missing) + " (arguments: " + String.join(" ", names) + ")");
        }
        McpSchema.GetPromptResult result;
        try {
            result = client.getPrompt(new McpSchema.GetPromptRequest(command.prompt(), values));
        } catch (RuntimeException e) {
            throw new PromptFailure("MCP server " + server + " could not give /" + command.command() + ": " + e.getMessage());
        }
        var out = new ArrayList<String>();
        var attachments = new ArrayList<dev.lathe.protocol.session.Attachment>();
        for (McpSchema.PromptMessage m : result.messages()) {
            String text = switch (m.content()) {
                case McpSchema.TextContent t -> t.text();
                case McpSchema.EmbeddedResource r -> CallResults.resource(attachments, r.resource());
                default -> "[" + m.content().type() + " content omitted]";
            };
            out.add(m.role() == McpSchema.Role.ASSISTANT ? "(assistant) " + text : text);
        }
        return String.join("\n\n", out);
    }
}
