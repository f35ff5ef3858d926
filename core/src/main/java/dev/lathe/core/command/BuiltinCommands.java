package dev.lathe.core.command;

import dev.lathe.core.context.PromptText;

import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The built-in slash commands that make sense without a user interface: {@code undo}, {@code redo}, {@code compact},
 * {@code init} and {@code review}. Those of DESIGN §11 that only a client can do ({@code /new}, {@code /sessions}, {@code /model},
 * {@code /agent}, {@code /context}, {@code /cost}, {@code /export}, {@code /help}) are the clients' business.
 */
public final class BuiltinCommands {
    private BuiltinCommands() {}

    /** What they are, for command lists ({@code GET /commands}). */
    public static final List<CommandInfo> INFO = List.of(
            new CommandInfo("undo", "Revert the last turn: its messages are hidden and the files it changed put back", "builtin"),
            new CommandInfo("redo", "Bring back what the last undo reverted", "builtin"),
            new CommandInfo("compact", "Summarise the conversation to free context", "builtin"),
            new CommandInfo("init", "Analyse the project and write or improve its AGENTS.md", "builtin"),
            new CommandInfo("review", "Review the uncommitted changes (or --base REF, --commit SHA; then a focus) without changing anything", "builtin"));

    /**
     * Built-ins whose name a project's or the user's own command takes: names users commonly gave their own commands
     * before Lathe had one ({@code .claude/commands/review.md}). Theirs keeps running as they wrote it; the built-in stays
     * reachable as {@link #DISPLACED_PREFIX}{@code NAME} ({@code lathe review} uses that when it is listed).
     */
    public static final java.util.Set<String> GIVING_WAY = java.util.Set.of("review");
    /** The name a built-in that gave way to a custom command keeps: {@code lathe:review}. */
    public static final String DISPLACED_PREFIX = "lathe:";

    /** A revert-like operation of {@code Sessions}: {@code undo} or {@code redo}. */
    @FunctionalInterface
    public interface Revert {
        RevertResult apply(SessionId session);
    }

    public static List<SlashCommand> of(Revert undo, Revert redo, Function<SessionId, CommandResult> compact, PromptCommand.Prompter prompter) {
        return List.of(
                reverting(info("undo"), undo),
                reverting(info("redo"), redo),
                simple(info("compact"), s -> compact.apply(s.id())),
                new PromptCommand("init", info("init").description(), PromptText.load(BuiltinCommands.class, "init.md"), prompter),
                new ReviewCommand(prompter));
    }

    static CommandInfo info(String name) {
        return INFO.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private static SlashCommand reverting(CommandInfo info, Revert revert) {
        return simple(info, s -> new CommandResult(info.name(), Optional.empty(), Optional.of(revert.apply(s.id()))));
    }

    private static SlashCommand simple(CommandInfo info, Function<Session, CommandResult> action) {
        return new SlashCommand() {
            @Override public String name() { return info.name(); }

            @Override public String description() { return info.description(); }

            @Override public CommandResult run(Session session, String arguments) { return action.apply(session); }
        };
    }
}
