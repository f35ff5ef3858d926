package dev.lathe.core.info;

import dev.lathe.core.command.BuiltinCommands;
import dev.lathe.core.commandfile.CommandFile;
import dev.lathe.protocol.api.CommandInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The slash commands a project's sessions accept through {@code POST /sessions/{id}/command}: the built-in ones the
 * core runs, then the project's and the user's markdown commands by name, each with its file as {@code source} (a
 * broken one says what is wrong in its description). A markdown command named like a built-in that gives way
 * ({@code review}) takes its name; the built-in is then listed as {@code lathe:review}.
 */
final class ProjectCommands {
    private ProjectCommands() {}

    /** @param builtins the commands the session layer runs itself (wired from {@code Sessions.builtinCommands()}) */
    static List<CommandInfo> of(List<CommandFile> files, List<CommandInfo> builtins) {
        List<CommandInfo> out = new ArrayList<>(builtins);
        for (CommandFile f : files) {
            var own = new CommandInfo(f.name(), f.description(), f.file().toString());
            int builtin = indexOf(out, f.name());
            if (builtin < 0) {
                out.add(own);
            } else if (BuiltinCommands.GIVING_WAY.contains(f.name())) {
                // the user's own command keeps the name; the built-in is listed under the name it keeps (SlashCommands)
                CommandInfo displaced = out.get(builtin);
                out.set(builtin, own);
                out.add(new CommandInfo(BuiltinCommands.DISPLACED_PREFIX + f.name(), displaced.description(), displaced.source()));
            }
        }
        return List.copyOf(out);
    }

    private static int indexOf(List<CommandInfo> commands, String name) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).name().equals(name)) return i;
        }
        return -1;
    }
}
