package dev.lathe.core.info;

import dev.lathe.core.command.file.CommandFile;
import dev.lathe.protocol.api.CommandInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The slash commands a project's sessions accept through {@code POST /sessions/{id}/command}: the built-in ones the
 * core runs, then the project's and the user's markdown commands by name, each with its file as {@code source} (a
 * broken one says what is wrong in its description).
 */
final class ProjectCommands {
    private ProjectCommands() {}

    /** @param builtins the commands the session layer runs itself (wired from {@code Sessions.builtinCommands()}) */
    static List<CommandInfo> of(List<CommandFile> files, List<CommandInfo> builtins) {
        List<CommandInfo> out = new ArrayList<>(builtins);
        for (CommandFile f : files) {
            if (builtins.stream().noneMatch(b -> b.name().equals(f.name()))) out.add(new CommandInfo(f.name(), f.description(), f.file().toString()));
        }
        return List.copyOf(out);
    }
}
