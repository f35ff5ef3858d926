package dev.lathe.core.info;

import dev.lathe.core.project.Project;
import dev.lathe.protocol.api.CommandInfo;
import java.util.List;

/**
 * The slash commands a project's sessions accept through {@code POST /sessions/{id}/command}: the built-in ones the
 * core runs without the model. Custom markdown commands ({@code .lathe/commands/*.md}, issue #8) are added after them
 * by {@link #of}, with their file as {@code source}.
 */
final class ProjectCommands {
    static final String BUILTIN = "builtin";
    static final List<CommandInfo> BUILTINS = List.of(
            new CommandInfo("undo", "Revert the last turn: put back every file it changed and hide it until redo", BUILTIN),
            new CommandInfo("redo", "Restore what the last undo reverted", BUILTIN));

    private ProjectCommands() {}

    static List<CommandInfo> of(Project project) {
        return BUILTINS;
    }
}
