package dev.lathe.run.console;

import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a message of {@code lathe run} is meant as a command (DESIGN §3: a MESSAGE that starts with / and names a
 * command runs it): its first word is {@code /NAME} where NAME has the shape of a command name (letters, digits,
 * {@code - _ . :}; no further {@code /}). So {@code /nosuch} is a mistyped command, an error rather than text for the
 * model, while {@code /etc/hosts: what is it?} is a path and goes to the model as it is.
 */
final class SlashCommand {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

    private SlashCommand() {}

    /** The command name {@code message} starts with, when its first word has a command's shape. */
    static Optional<String> nameOf(String message) {
        if (!message.startsWith("/")) return Optional.empty();
        String first = message.substring(1).split("\\s+", 2)[0];
        return NAME.matcher(first).matches() ? Optional.of(first) : Optional.empty();
    }

    /**
     * The command a message names (DESIGN §3): {@code /name arguments} where {@code name} is one of the folder's commands
     * ({@code GET /commands}: built-in and custom); empty for any other message, which goes to the model as it is.
     */
    static Optional<CommandRequest> request(LatheApi api, String directory, String message, Optional<String> piped) {
        Optional<String> named = nameOf(message);
        if (named.isEmpty()) return Optional.empty();
        String name = named.get();
        if (api.commands(directory).stream().noneMatch(c -> c.name().equals(name)) && !isMcpPrompt(api, directory, name)) return Optional.empty();
        String[] words = message.substring(1).split("\\s+", 2);
        String arguments = words.length > 1 ? words[1].strip() : "";
        // piped text joins the command's arguments, as it joins a message
        String withPiped = piped.map(p -> arguments.isEmpty() ? p : arguments + "\n\n" + p).orElse(arguments);
        return Optional.of(new CommandRequest(name, withPiped));
    }

    /**
     * Whether {@code name} is {@code SERVER:prompt} for one of the folder's configured MCP servers: such a command is
     * sent even while the server is still starting (so not listed yet), and the server waits for it or says why not.
     */
    private static boolean isMcpPrompt(LatheApi api, String directory, String name) {
        int colon = name.indexOf(':');
        if (colon <= 0) return false;
        String server = name.substring(0, colon);
        try {
            return api.mcp(directory).stream().anyMatch(m -> m.name().equals(server));
        } catch (LatheException e) {
            return false;
        }
    }
}
