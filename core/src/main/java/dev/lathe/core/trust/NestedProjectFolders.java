package dev.lathe.core.trust;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The folders inside a project, below its root, that define commands, script tools, plugins or language servers of
 * their own ({@code sub/.lathe/tools/x}, {@code sub/node_modules/.bin/…}): a session opened in such a folder runs them,
 * so trust lists and pins them with the root's (DESIGN §18 "Trust pins what it approved"), one mechanism for all.
 * Found by a bounded breadth-first walk (links not followed, {@code .git} and {@code node_modules} not entered): a
 * folder past the bound is not listed, so what it defines cannot be approved and stays withheld (fail closed).
 */
public final class NestedProjectFolders {
    /** Folders looked at, at most (breadth first: the shallow folders sessions are opened in come first). */
    public static final int MAX_FOLDERS = 5_000;
    /** A folder holding one of these defines something trust pins ({@code .claude}/{@code .opencode}: their commands). */
    private static final Set<String> MARKERS = Set.of(".lathe", ".claude", ".opencode", "node_modules");
    private static final Set<String> NOT_ENTERED = Set.of(".git", "node_modules");

    private NestedProjectFolders() {}

    /** {@code root} and then every folder below it that holds one of the markers, in walk order. */
    public static List<Path> withRoot(Path root) {
        List<Path> out = new ArrayList<>();
        out.add(root);
        out.addAll(below(root));
        return List.copyOf(out);
    }

    /** The folders below {@code root} (not {@code root} itself) that hold one of the markers, in walk order. */
    public static List<Path> below(Path root) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(root));
        int seen = 0;
        while (!todo.isEmpty() && seen < MAX_FOLDERS) {
            Path dir = todo.poll();
            seen++;
            boolean marked = false;
            try (DirectoryStream<Path> in = Files.newDirectoryStream(dir)) {
                for (Path p : in) {
                    String name = p.getFileName().toString();
                    marked |= MARKERS.contains(name);
                    if (!NOT_ENTERED.contains(name) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) todo.add(p);
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: no session reads its definitions either
            }
            if (marked && !dir.equals(root)) out.add(dir);
        }
        return List.copyOf(out);
    }
}
