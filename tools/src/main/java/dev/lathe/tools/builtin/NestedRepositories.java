package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
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
        return walk(top, new ArrayList<>());
    }

    /**
     * {@link #below}, from the last walk of {@code top} when no folder it read has changed since: each is {@code lstat}ed
     * (no listing), and the walk is done again when one is gone, is another inode, or has another change time
     * ({@code ctime}, which the kernel sets on every entry added, removed or renamed in a folder, on a mode change, and
     * which no call lets a process set back, unlike {@code mtime}). A nested repository the previous command made is a
     * {@code .git} entry added to a folder the walk read, or a folder added (or moved in) under one: a new ctime either
     * way. A folder whose ctime is within {@link #RACY} of the walk's start (or ahead of the clock) counts as changed:
     * file times tick coarsely, so a change in the same tick as the one before it could leave ctime as it was.
     */
    static List<Path> cachedBelow(Path top) {
        Walked last = WALKS.get(top);
        if (last != null && last.unchanged()) return last.repositories();
        long start = System.currentTimeMillis();
        List<Path> folders = new ArrayList<>();
        List<Path> repositories = walk(top, folders);
        WALKS_DONE.incrementAndGet();
        Walked now = Walked.of(top, folders, repositories, start);
        if (WALKS.size() >= MAX_CACHED) WALKS.clear();
        WALKS.put(top, now);
        return repositories;
    }

    /** A change time this close to a walk's start (or later) cannot tell a change in the same tick: walk again. */
    static final long RACY = 2_000;
    /** Walks done by {@link #cachedBelow} (a test sees the cache answer without one). */
    static final java.util.concurrent.atomic.AtomicLong WALKS_DONE = new java.util.concurrent.atomic.AtomicLong();
    private static final int MAX_CACHED = 64;
    private static final java.util.Map<Path, Walked> WALKS = new java.util.concurrent.ConcurrentHashMap<>();

    /** What one walk of {@code top} read (each folder's inode and ctime, in nanoseconds) and found. */
    private record Walked(List<Path> folders, long[] inodes, long[] ctimes, List<Path> repositories, long startMillis) {
        static Walked of(Path top, List<Path> folders, List<Path> repositories, long startMillis) {
            long[] inodes = new long[folders.size()];
            long[] ctimes = new long[folders.size()];
            for (int i = 0; i < folders.size(); i++) {
                long[] id = identity(folders.get(i));
                if (id == null) return new Walked(List.of(top), new long[] {-1}, new long[] {-1}, List.copyOf(repositories), startMillis);
                inodes[i] = id[0];
                ctimes[i] = id[1];
            }
            return new Walked(List.copyOf(folders), inodes, ctimes, List.copyOf(repositories), startMillis);
        }

        boolean unchanged() {
            long racyFrom = (startMillis - RACY) * 1_000_000L;
            long now = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < folders.size(); i++) {
                long[] id = identity(folders.get(i));
                if (id == null || id[0] != inodes[i] || id[1] != ctimes[i] || id[1] >= racyFrom || id[1] > now) return false;
            }
            return true;
        }

        /** {@code [inode, ctime in ns]} of {@code folder}, not following a link; null when it cannot be read. */
        private static long[] identity(Path folder) {
            try {
                var a = Files.readAttributes(folder, "unix:ino,ctime", LinkOption.NOFOLLOW_LINKS);
                return new long[] {((Number) a.get("ino")).longValue(), ((java.nio.file.attribute.FileTime) a.get("ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS)};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** The walk of {@link #below}, noting in {@code read} every folder whose entries it listed. */
    private static List<Path> walk(Path top, List<Path> read) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(top));
        int seen = 0;
        while (!todo.isEmpty() && seen < MAX_FOLDERS && out.size() < MAX_REPOSITORIES) {
            Path dir = todo.poll();
            read.add(dir);
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
                // a pointer planted in the project: its own regular file only, a line long
                String line = FileGateway.readRecord(git, FileGateway.RECORD_MAX_BYTES).strip();
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
