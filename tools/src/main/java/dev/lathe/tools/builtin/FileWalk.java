package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The pure-Java file walk used without ripgrep. It answers what {@code rg --files --hidden --no-require-git
 * --glob !.git --glob !node_modules} answers: hidden files included, {@code .gitignore}/{@code .ignore}/{@code .rgignore}
 * rules honoured in the walked folders and in their ancestors up to the repository root, symbolic links not followed.
 */
final class FileWalk {
    /** Never searched, ignored or not: the repository itself (a folder, or a file in a worktree) and installed dependencies. */
    static final Set<String> SKIPPED = Set.of(".git", "node_modules");

    private FileWalk() {}

    /** Regular files under {@code root}, at most {@code max}; a deeper ignore file's rules win over a shallower one's, as in git. */
    static List<Path> files(Path root, int max) {
        List<Path> out = new ArrayList<>();
        Deque<GitIgnore> ignores = ancestors(root);
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && (SKIPPED.contains(dir.getFileName().toString()) || ignored(ignores, dir, true))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    ignores.push(GitIgnore.in(dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                    ignores.pop();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !SKIPPED.contains(file.getFileName().toString()) && !ignored(ignores, file, false)) out.add(file);
                    return out.size() >= max ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a folder that vanished mid-walk: return what was found
        }
        return out;
    }

    /**
     * Ignore rules of the folders above {@code root}, deepest first. Searching a subfolder must not resurface what the
     * project's own .gitignore hides; like ripgrep, the climb stops at the folder holding {@code .git}.
     */
    static Deque<GitIgnore> ancestors(Path root) {
        Deque<GitIgnore> out = new ArrayDeque<>();
        if (Files.exists(root.resolve(".git"))) return out;
        for (Path dir = root.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            GitIgnore rules = GitIgnore.in(dir);
            if (!rules.isEmpty()) out.addLast(rules);
            if (Files.exists(dir.resolve(".git"))) break;
        }
        return out;
    }

    /** The deepest ignore file with a rule for {@code path} decides (the deque holds the deepest first). */
    static boolean ignored(Deque<GitIgnore> ignores, Path path, boolean directory) {
        for (GitIgnore g : ignores) {
            var decision = g.decide(path, directory);
            if (decision.isPresent()) return decision.get();
        }
        return false;
    }

    /**
     * Sorts {@code files} newest first, the path breaking ties (stable output). Each file's time is read once: a
     * comparator that reads it on every comparison costs n log n system calls, which on a 100k-file tree outweighs the
     * search itself, and breaks the sort's contract when a file is written mid-sort.
     */
    static void sortNewestFirst(List<Path> files) {
        record Stamped(Path file, long modified, String name) {}
        List<Stamped> stamped = new ArrayList<>(files.size());
        for (Path f : files) stamped.add(new Stamped(f, modified(f), f.toString()));
        stamped.sort(Comparator.comparingLong(Stamped::modified).reversed().thenComparing(Stamped::name));
        for (int i = 0; i < stamped.size(); i++) files.set(i, stamped.get(i).file());
    }

    static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
