package dev.lathe.core.command;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and runs slash commands: the built-in ones, then those a project defines ({@code custom}: its markdown
 * commands, {@link CustomCommands}, and its MCP servers' prompts, {@link McpPromptCommands}). A built-in name cannot be
 * taken by a custom command, except one of {@link BuiltinCommands#GIVING_WAY}: then the custom one has the name and the
 * built-in is {@code lathe:NAME}.
 */
public final class SlashCommands {
    private final List<SlashCommand> builtins;
    private final Custom custom;

    /** The commands a session's project defines: its markdown commands and its MCP servers' prompts (decision 536). */
    @FunctionalInterface
    public interface Custom {
        /** What the project defines for {@code session} now; never waits on a server. */
        List<SlashCommand> listed(Session session);

        /**
         * A command {@link #listed} did not list (yet): an MCP server's prompt whose server is still starting. It may
         * wait, and refuses with what is wrong when the name is the project's but cannot run; by default none.
         */
        default Optional<SlashCommand> late(Session session, String name) { return Optional.empty(); }
    }

    public SlashCommands(List<SlashCommand> builtins, Custom custom) {
        this.builtins = List.copyOf(builtins);
        this.custom = custom;
    }

    /** Every command the session can run, by name, built-in ones first. */
    Map<String, SlashCommand> available(Session session) {
        Map<String, SlashCommand> out = new LinkedHashMap<>();
        for (SlashCommand c : builtins) out.put(c.name(), c);
        for (SlashCommand c : custom.listed(session)) {
            SlashCommand builtin = out.get(c.name());
            if (builtin != null && builtins.contains(builtin) && BuiltinCommands.GIVING_WAY.contains(c.name())) {
                out.put(BuiltinCommands.DISPLACED_PREFIX + c.name(), builtin);
                out.put(c.name(), c);
            }
            out.putIfAbsent(c.name(), c);
        }
        return out;
    }

    /** NotFound naming the known commands for an unknown name; the request's shape (a name given) was checked where it entered. */
    public CommandResult run(Session session, CommandRequest request) {
        String name = request.name().strip();
        if (name.startsWith("/")) name = name.substring(1);
        Map<String, SlashCommand> commands = available(session);
        SlashCommand command = commands.get(name);
        if (command == null) command = custom.late(session, name).orElse(null);
        if (command == null) {
            List<String> known = new ArrayList<>(commands.keySet());
            known.sort(null);
            throw new LatheException.NotFound("unknown command '" + name + "'; available: " + String.join(", ", known));
        }
        return command.run(session, request.arguments() == null ? "" : request.arguments());
    }
}
