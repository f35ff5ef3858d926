package dev.lathe.core.commandfile;

import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import java.nio.file.Path;
import java.util.List;

/**
 * A project command file whose text runs shell ({@code !`cmd`}) as a {@link TrustItem} (DESIGN §18 "Trust pins what it
 * approved"): pinned by its text, so a command file the agent, a pull or an editor changed after trust runs none of its
 * shell commands until the user approves the difference, as a changed hook does not run.
 */
public final class CommandShell {
    private CommandShell() {}

    /** Whether {@code file} is the project's and its text has a {@code !`cmd`}: only those need approval. */
    public static boolean runsShell(CommandFile file) {
        return file.scope() == CommandFile.Scope.PROJECT && file.problem().isEmpty()
                && CommandTemplate.parse(file.template()).stream().anyMatch(CommandTemplate.Piece.Shell.class::isInstance);
    }

    /** {@code file} as trust pins it: its command folder (relative to {@code root}), {@code /name} and its text. */
    public static TrustItem item(CommandFile file, Path root) {
        return new TrustItem(Withheld.Kind.COMMAND_SHELL, CommandFiles.folderOf(file.file(), root), "/" + file.name(), file.template());
    }

    /**
     * The items of the commands at the project root {@code root} that run shell, {@code userFolders} being the user's
     * own command folders (never the project's, even when the project is the home folder).
     */
    public static List<TrustItem> items(Path root, List<Path> userFolders) {
        return items(root, userFolders, List.of(root));
    }

    /**
     * As {@link #items(Path, List)}, for the command folders of each of {@code folders} (the root and folders below it
     * that a session can be opened in), each pinned relative to {@code root}: {@code sub/.lathe/commands /name}.
     */
    public static List<TrustItem> items(Path root, List<Path> userFolders, List<Path> folders) {
        List<TrustItem> out = new java.util.ArrayList<>();
        for (Path folder : folders) {
            CommandFiles.find(List.of(folder), userFolders).stream().filter(CommandShell::runsShell).map(f -> item(f, root)).forEach(out::add);
        }
        return List.copyOf(out);
    }
}
