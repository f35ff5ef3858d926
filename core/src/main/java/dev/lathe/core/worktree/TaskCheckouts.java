package dev.lathe.core.worktree;

import dev.lathe.protocol.api.LatheException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A team node's own copies of the repositories fleet tasks run in (DESIGN §20, {@code lathe run --repo}): one clone per
 * repository URL under the node's data folder ({@code DATA/tasks/}), fetched before each use, and in it one worktree per
 * task on branch {@code lathe/NAME} ({@link Worktrees}). The branch is pushed to the repository after each turn, so
 * whichever node runs the next turn fetches it and goes on from there.
 *
 * <p>The clone has no files of its own checked out: its {@code HEAD} is only where the next worktree starts, set under
 * this class's lock for the repository while the worktree is made. Git runs with {@code --} before every URL, so a
 * URL cannot pass as an option, and with git's own transport policy (no {@code ext::}).
 */
public final class TaskCheckouts {
    private static final String REMOTE = "origin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Worktrees worktrees;
    private final ConcurrentHashMap<Path, Object> locks = new ConcurrentHashMap<>();
    /** When the last fetch of each clone started (System.nanoTime), read and written under the clone's lock. */
    private final ConcurrentHashMap<Path, Long> fetchedAt = new ConcurrentHashMap<>();

    /** @param root the node's folder for the clones ({@code DATA/tasks}) */
    public TaskCheckouts(Path root, Worktrees worktrees) {
        this.root = root;
        this.worktrees = worktrees;
    }

    /** Where a new task's worktree starts: this node's copy (a clone), the name of its worktree, the commit its branch starts at. */
    public record Start(Path copy, String name, String baseCommit) {}

    /** What {@link #startNew} runs while the clone's {@code HEAD} is the task's base commit (it makes the worktree from it). */
    public interface AtBase<T> {
        T make(Start start);
    }

    /**
     * Fetches {@code repo} (cloned first when this node has no copy), resolves {@code base} (its default branch when
     * empty), picks the worktree's name ({@code name}, or a generated one no branch of the repository has) and runs
     * {@code make} with the clone's {@code HEAD} at the base commit.
     *
     * @throws LatheException.InvalidInput when the repository cannot be fetched or has no such base, saying what git said
     */
    public <T> T startNew(String repo, Optional<String> base, Optional<String> name, AtBase<T> make) {
        Path clone = cloneOf(repo);
        long asked = System.nanoTime();
        synchronized (lock(clone)) {
            var git = fetched(repo, clone, asked);
            String commit = commitOf(git, repo, base);
            String n = name.map(WorktreeNames::check).orElseGet(() -> WorktreeNames.generate(x -> branchKnown(git, x)) + "-" + suffix());
            if (branchKnown(git, n)) {
                throw new LatheException.Conflict("branch " + Worktrees.BRANCH_PREFIX + n + " exists in " + repo + " or in this node's copy: choose another name");
            }
            git.ok("update-ref", "--no-deref", "HEAD", commit);
            return make.make(new Start(clone, n, commit));
        }
    }

    /**
     * The folder task {@code name} of {@code repo} runs in on this node, at the newest commit of its branch: the branch
     * as last pushed (another node ran the turns before) or, before any push, a new worktree at {@code baseCommit}.
     */
    public Path checkout(String repo, String baseCommit, String name) {
        Path clone = cloneOf(repo);
        long asked = System.nanoTime();
        synchronized (lock(clone)) {
            var git = fetched(repo, clone, asked);
            String branch = Worktrees.BRANCH_PREFIX + name;
            boolean pushed = git.run("show-ref", "--verify", "--quiet", "refs/remotes/" + REMOTE + "/" + branch).ok();
            Path folder = clone.resolve(WorktreeLocation.FOLDER).resolve(name);
            if (Files.isDirectory(folder)) {
                // this node ran the task before: go on from what was pushed since (a fast-forward, as every turn pushes)
                if (pushed) {
                    var ff = new GitRun(folder).run("merge", "--ff-only", "--quiet", REMOTE + "/" + branch);
                    if (!ff.ok()) {
                        throw new LatheException.Failed("the copy of " + branch + " on this node (" + folder + ") and the one in " + repo
                                + " have parted: " + ff.err().strip());
                    }
                }
                return folder;
            }
            // a branch left here without its folder (a worktree removed by hand) would refuse the new worktree's name
            git.run("worktree", "prune");
            git.run("branch", "-D", branch);
            git.ok("update-ref", "--no-deref", "HEAD", pushed ? git.ok("rev-parse", "refs/remotes/" + REMOTE + "/" + branch).strip() : baseCommit);
            return Path.of(worktrees.create(clone, Optional.of(name), Worktrees.BaseRef.HEAD).path());
        }
    }

    /**
     * Commits what the turn left uncommitted in {@code worktree} (as {@code message}, by the user's git identity or, with
     * none configured, Lathe's) and pushes branch {@code lathe/name} to the repository.
     *
     * @throws LatheException.Failed when the commit or the push fails, with what git said
     */
    public void push(Path worktree, String name, String message) {
        var wt = new GitRun(worktree);
        if (!wt.run("status", "--porcelain").out().isBlank()) {
            wt.ok("add", "--all");
            boolean identity = wt.run("config", "user.email").ok();
            var commit = identity ? wt.run("commit", "--quiet", "--no-verify", "-m", message)
                    : wt.run("-c", "user.name=Lathe", "-c", "user.email=lathe@localhost", "commit", "--quiet", "--no-verify", "-m", message);
            if (!commit.ok()) throw new LatheException.Failed("cannot commit the turn's changes in " + worktree + ": " + commit.err().strip());
        }
        String branch = Worktrees.BRANCH_PREFIX + name;
        var pushed = wt.run("push", "--quiet", REMOTE, "HEAD:refs/heads/" + branch);
        if (!pushed.ok()) throw new LatheException.Failed("cannot push " + branch + ": " + pushed.err().strip());
    }

    /**
     * Removes task {@code name}'s worktree of {@code repo} and its local branch from this node's copy, once its session is
     * deleted. The clone stays (the next task of the repository fetches into it), and so does the branch pushed to the
     * repository: the task's work is there, not here.
     */
    public void remove(String repo, String name) {
        Path clone = cloneOf(repo);
        if (!Files.isDirectory(clone.resolve(".git"))) return;
        synchronized (lock(clone)) {
            discard(clone, WorktreeNames.check(name));
        }
    }

    /** A task by its repository and worktree name: what {@link #prune} keeps. */
    public record Task(String repo, String name) {}

    /**
     * Removes every task worktree of this node's copies but those of the {@code live} tasks (of the sessions that exist),
     * and clones a crash left half made; returns the worktree folders removed. {@code live} is read under each clone's
     * lock, which a task's worktree is made and recorded under ({@link #startNew}), so a task made meanwhile is never
     * taken for a deleted one: it may run while the node serves.
     */
    public java.util.List<Path> prune(java.util.function.Supplier<? extends java.util.Collection<Task>> live) {
        if (!Files.isDirectory(root)) return java.util.List.of();
        java.util.List<Path> removed = new java.util.ArrayList<>();
        try {
            for (Path clone : entries()) {
                String file = clone.getFileName().toString();
                if (file.endsWith(".partial")) {
                    // a clone under way holds its clone's lock: one found outside it was left by a crash
                    synchronized (lock(clone.resolveSibling(file.substring(0, file.length() - ".partial".length())))) {
                        deleteTree(clone);
                    }
                    continue;
                }
                Path folders = clone.resolve(WorktreeLocation.FOLDER);
                if (!Files.isDirectory(clone.resolve(".git")) || !Files.isDirectory(folders)) continue;
                synchronized (lock(clone)) {
                    java.util.Set<Path> keep = new java.util.HashSet<>();
                    for (Task t : live.get()) keep.add(worktreeOf(t));
                    try (var trees = Files.list(folders)) {
                        for (Path tree : trees.toList()) {
                            String name = tree.getFileName().toString();
                            // only worktrees Lathe made for tasks (a folder with git's .git file), never its own records
                            if (name.startsWith(".") || !Files.isDirectory(tree) || !Files.exists(tree.resolve(".git")) || keep.contains(tree)) continue;
                            discard(clone, name);
                            removed.add(tree);
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new LatheException.Failed("cannot list the task copies in " + root + ": " + e.getMessage());
        }
        return removed;
    }

    /**
     * The clones (and clones under way) of this node: {@code ROOT/TAIL-HASH/TAIL} ({@link #cloneOf}), and the
     * {@code ROOT/TAIL-HASH} clones of earlier versions, which named the clone's own folder after the hash.
     */
    private java.util.List<Path> entries() throws java.io.IOException {
        java.util.List<Path> out = new java.util.ArrayList<>();
        try (var folders = Files.list(root)) {
            for (Path folder : folders.toList()) {
                if (!Files.isDirectory(folder) || Files.isDirectory(folder.resolve(".git")) || folder.getFileName().toString().endsWith(".partial")) {
                    out.add(folder);
                    continue;
                }
                try (var inside = Files.list(folder)) {
                    out.addAll(inside.toList());
                }
            }
        }
        return out;
    }

    /** Whether {@code directory} is in this node's copies (a task's worktree here). */
    public boolean holds(Path directory) {
        return directory.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize());
    }

    /** The worktree of task {@code name} and its local branch gone from {@code clone} (under the clone's lock). */
    private static void discard(Path clone, String name) {
        var git = new GitRun(clone);
        Path folder = clone.resolve(WorktreeLocation.FOLDER).resolve(name);
        var removed = git.run("worktree", "remove", "--force", "--force", folder.toString());
        if (!removed.ok()) deleteTree(folder);
        git.run("worktree", "prune");
        git.run("branch", "-D", Worktrees.BRANCH_PREFIX + name);
    }

    /**
     * The clone of {@code repo}, fetched by a fetch that started after {@code asked}: tasks sent at once wait on one lock,
     * and a fetch begun while they waited is as fresh as their own (a fetch per task made the last of twelve sent to one
     * node at once wait over a minute at load 50).
     */
    private GitRun fetched(String repo, Path clone, long asked) {
        if (Files.isDirectory(clone.resolve(".git"))) {
            var git = new GitRun(clone);
            Long last = fetchedAt.get(clone);
            if (last != null && last - asked >= 0) return git;
            long started = System.nanoTime();
            var fetch = git.run("fetch", "--quiet", "--prune", "--tags", REMOTE);
            if (!fetch.ok()) throw new LatheException.InvalidInput("cannot fetch the task's repository " + repo + ": " + fetch.err().strip());
            fetchedAt.put(clone, started);
            return git;
        }
        try {
            Files.createDirectories(clone.getParent());
        } catch (java.io.IOException e) {
            throw new LatheException.Failed("cannot make " + clone.getParent() + ": " + e.getMessage());
        }
        Path partial = clone.resolveSibling(clone.getFileName() + ".partial");
        long started = System.nanoTime();
        deleteTree(partial);
        var cloned = new GitRun(clone.getParent()).run("clone", "--quiet", "--no-checkout", "--", repo, partial.toString());
        if (!cloned.ok()) {
            deleteTree(partial);
            throw new LatheException.InvalidInput("cannot clone the task's repository " + repo + ": " + cloned.err().strip());
        }
        try {
            // a clone that stopped half-way is never taken for one: it gets its name only once complete
            Files.move(partial, clone, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new LatheException.Failed("cannot keep the clone of " + repo + " at " + clone + ": " + e.getMessage());
        }
        fetchedAt.put(clone, started);
        return new GitRun(clone);
    }

    private static String commitOf(GitRun git, String repo, Optional<String> base) {
        if (base.isEmpty()) {
            var head = git.run("rev-parse", "--verify", "--quiet", "refs/remotes/" + REMOTE + "/HEAD^{commit}");
            if (!head.ok()) throw new LatheException.InvalidInput("the task's repository " + repo + " has no commit on its default branch yet");
            return head.out().strip();
        }
        String ref = base.get();
        if (ref.startsWith("-")) throw new LatheException.InvalidInput("--base " + ref + ": not a branch, tag or commit");
        for (String candidate : new String[] {"refs/remotes/" + REMOTE + "/" + ref, ref}) {
            var r = git.run("rev-parse", "--verify", "--quiet", candidate + "^{commit}");
            if (r.ok()) return r.out().strip();
        }
        throw new LatheException.InvalidInput("--base " + ref + ": " + repo + " has no such branch, tag or commit");
    }

    /** A branch of that name exists in the repository (as last fetched) or here. */
    private static boolean branchKnown(GitRun git, String name) {
        String branch = Worktrees.BRANCH_PREFIX + name;
        return git.run("show-ref", "--verify", "--quiet", "refs/heads/" + branch).ok()
                || git.run("show-ref", "--verify", "--quiet", "refs/remotes/" + REMOTE + "/" + branch).ok();
    }

    /** Tasks made through different nodes at once cannot see each other's names yet: a random tail keeps them apart. */
    private static String suffix() {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Where {@code task}'s worktree is in this node's copies (whether or not it is there). */
    public Path worktreeOf(Task task) {
        return cloneOf(task.repo()).resolve(WorktreeLocation.FOLDER).resolve(task.name());
    }

    /**
     * The clone of {@code repo} on this node: {@code ROOT/TAIL-HASH/TAIL}, the hash of the whole URL keeping two
     * repositories of one name apart, and the clone's own folder named after the repository, as the board, {@code lathe
     * sessions} and the sidebar name a repository by its main checkout's folder (issue 53: they showed {@code app-3f2a…}).
     */
    private Path cloneOf(String repo) {
        String tail = repo.replaceAll("/+$", "").replaceAll("\\.git$", "");
        tail = tail.substring(Math.max(tail.lastIndexOf('/'), tail.lastIndexOf(':')) + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (tail.isEmpty() || tail.startsWith(".")) tail = "repo";
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(repo.getBytes(StandardCharsets.UTF_8));
            return root.resolve(tail + "-" + HexFormat.of().formatHex(hash, 0, 6)).resolve(tail);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object lock(Path clone) {
        return locks.computeIfAbsent(clone, _ -> new Object());
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (java.io.IOException e) {
            throw new LatheException.Failed("cannot clear " + p + ": " + e.getMessage());
        }
    }
}
