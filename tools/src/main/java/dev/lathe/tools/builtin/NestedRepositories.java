package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The git repositories nested inside a project (a repository a command made with {@code git init sub}, a submodule's
 * checkout, a vendored clone): their own configuration and hooks are not the project's, and nobody approved them.
 * Found by a bounded walk of folders (links not followed), so a command's start stays cheap in a large tree.
 */
final class NestedRepositories {
    /** Folders looked at, at most; past it the rest of the tree is not searched (said in docs/security.md). */
    static final int MAX_FOLDERS = 5_000;
    /** Package folders: large, and not where a repository's config is looked for by the commands a model runs. */
    private static final java.util.Set<String> SKIPPED = java.util.Set.of("node_modules");
    static final int MAX_REPOSITORIES = 32;

    private NestedRepositories() {}

    /** The repository folder around {@code dir} (the nearest with a {@code .git}), else {@code dir}. */
    static Path top(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return p;
        return dir;
    }

    /** The repositories below {@code top} (not {@code top} itself), in walk order. */
    static List<Path> below(Path top) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(top));
        int seen = 0;
        while (!todo.isEmpty() && seen < MAX_FOLDERS && out.size() < MAX_REPOSITORIES) {
            Path dir = todo.poll();
            seen++;
            try (DirectoryStream<Path> in = Files.newDirectoryStream(dir)) {
                for (Path p : in) {
                    String name = p.getFileName().toString();
                    if (name.equals(".git")) {
                        if (!dir.equals(top)) out.add(dir);
                        continue;
                    }
                    if (!SKIPPED.contains(name) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) todo.add(p);
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: git cannot enter it either
            }
        }
        return out;
    }

    /** Whether the repository at {@code repo} has hooks of its own: a file in its hooks folder that is not git's sample. */
    static boolean hasHooks(Path repo) {
        Path git = repo.resolve(".git");
        try {
            if (Files.isRegularFile(git, LinkOption.NOFOLLOW_LINKS)) {
                String line = Files.readString(git).strip();
                if (!line.startsWith("gitdir:")) return false;
                git = repo.resolve(line.substring("gitdir:".length()).strip()).normalize();
            }
            Path hooks = git.resolve("hooks");
            if (!Files.isDirectory(hooks)) return false;
            try (DirectoryStream<Path> in = Files.newDirectoryStream(hooks)) {
                for (Path h : in) if (!h.getFileName().toString().endsWith(".sample")) return true;
            }
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: hooks off for the command rather than run unknown ones
        }
        return false;
    }
}
