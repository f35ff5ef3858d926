package dev.lathe.core.command;

import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.session.Session;

/**
 * One slash command of {@code POST /sessions/{id}/command}. Built-in ones come from {@link BuiltinCommands}; custom
 * markdown commands ({@code .lathe/commands/*.md}) from {@link CustomCommands}.
 *
 * <p>Contract: {@link #run} is called on the request's thread for an existing session; it refuses what it cannot do
 * with a {@code LatheException} ({@code Conflict} while busy, {@code Forbidden} refused by a permission) and never waits for
 * a turn to finish (a custom command may wait for its own shell commands and permission asks before it is sent).
 */
public interface SlashCommand {
    /** The name without the slash, e.g. {@code undo}. */
    String name();

    /** One line for clients' command lists. */
    String description();

    CommandResult run(Session session, String arguments);
}
