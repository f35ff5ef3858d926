package dev.lathe.core.worktree;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The worktrees of the repositories sessions run in (DESIGN §19): {@code MAIN/.lathe/worktrees/NAME} on branch
 * {@code lathe/NAME}, made by the real {@code git worktree add}. Every check (a repository, a free name and branch, a
 * valid name, a clean tree) comes before the first change, so a refused request changes nothing. Operations on one
 * repository are serialised in this process; git's own lock files keep two processes apart.
 */
public final class Worktrees {
    public static final String BRANCH_PREFIX = "lathe/";
    /** The commit a worktree started from, kept in its own admin folder of git's ({@code .git/worktrees/NAME}). */
    private static final String BASE_FILE = "lathe-base";

    /** Where a new worktree starts: the main checkout's {@code HEAD}, or the remote's default branch. */
    public enum BaseRef { HEAD, FRESH }

    /**
     * Where the folders {@code WorktreeCreate} hooks made are remembered, one file per name holding the folder's path:
     * {@code MAIN/.lathe/worktrees/.hooked/NAME} (not a worktree itself, so listing the folder skips it).
     */
    private static final String HOOKED = ".hooked";

    /**
     * The sessions recorded in worktree folders, as the worktrees need them: whose a worktree is, and that one is gone
     * (decision 536).
     */
    @FunctionalInterface
    public interface WorktreeSessions {
        /** The id of the newest session whose folder is {@code worktree}, if any. */
        Optional<String> newestIn(Path worktree);

        /**
         * Told each worktree folder Lathe removes, and one it is about to make where a worktree of that name was before
         * (removed behind Lathe's back): the sessions recorded there are no longer "in" it, nor the new one's.
         */
        default void gone(Path worktree) { }
    }

    private final WorktreeSessions sessions;
    private final WorktreeHooks hooks;
    private final Function<Path, FileGateway.ReadRules> readRules;
    private final ConcurrentHashMap<Path, Object> repositoryLocks = new ConcurrentHashMap<>();

    public Worktrees(WorktreeSessions sessions) {
        this(sessions, WorktreeHooks.NONE, _ -> FileGateway.ReadRules.NONE);
    }

    /**
     * As above, with the projects' {@code WorktreeCreate} / {@code WorktreeRemove} hooks and the {@code read} rules of
     * the project at a main checkout, which decide what {@code .worktreeinclude} may copy ({@link FileGateway#copy}).
     */
    public Worktrees(WorktreeSessions sessions, WorktreeHooks hooks, Function<Path, FileGateway.ReadRules> readRules) {
        this.sessions = sessions;
        this.hooks = hooks;
        this.readRules = readRules;
    }

    /**
     * The main checkout of the repository {@code directory} is in (the repository's top folder; a worktree's main
     * checkout when it is one of Lathe's), canonical.
     */
    public static Path mainCheckout(Path directory) {
        if (!Files.isDirectory(directory)) throw new LatheException.InvalidInput("not a folder: " + directory);
        return gitMain(directory).orElseThrow(() -> notARepository(directory));
    }

    private static LatheException notARepository(Path directory) {
        return new LatheException.InvalidInput("not a git repository: " + directory + " (worktrees need git, or a WorktreeCreate hook that makes them)");
    }

    /** The main checkout of the git repository {@code directory} is in, canonical; empty when it is in none. */
    private static Optional<Path> gitMain(Path directory) {
        return gitMainRun(new GitRun(directory)).map(GitRun::dir);
    }

    /**
     * A git runner in the main checkout of the repository {@code here} runs in, or empty when it is in none: {@code here}'s
     * own options kept when it is in the main checkout (the same configuration), so they are asked for once.
     */
    private static Optional<GitRun> gitMainRun(GitRun here) {
        var top = here.run("rev-parse", "--show-toplevel");
        if (!top.ok() || top.out().isBlank()) return Optional.empty();
        Path root = canonical(Path.of(top.out().strip()));
        return Optional.of(WorktreeLocation.of(root).map(w -> new GitRun(Path.of(w.mainCheckout()))).orElseGet(() -> here.in(root)));
    }

    /** Creates worktree {@code name} (generated when empty) of the repository at {@code directory}. */
    public WorktreeInfo create(Path directory, Optional<String> name, BaseRef base) {
        return create(directory, name, base, Optional.empty());
    }

    /**
     * Creates worktree {@code name} (generated when empty) of the repository at {@code directory}, for session
     * {@code sessionId} when there is one. A project with a {@code WorktreeCreate} hook has the hook make it instead of
     * git (Claude Code's contract: for another version control system, a folder that need not be a git repository).
     */
    public WorktreeInfo create(Path directory, Optional<String> name, BaseRef base, Optional<String> sessionId) {
        if (Files.isDirectory(directory) && hooks.creates(directory)) return createByHook(directory, name, sessionId);
        if (!Files.isDirectory(directory)) throw new LatheException.InvalidInput("not a folder: " + directory);
        // every git process counts here (DESIGN §19: near a plain git worktree add): one runner keeps its options
        var git = gitMainRun(new GitRun(directory)).orElseThrow(() -> notARepository(directory));
        Path main = git.dir();
        synchronized (lock(main)) {
            String n = name.map(WorktreeNames::check).orElseGet(() -> WorktreeNames.generate(x -> taken(main, x) || branchExists(git, x)));
            Path path = folder(main, n);
            if (taken(main, n)) throw new LatheException.Conflict("a worktree named " + n + " exists: " + path);
            if (branchExists(git, n)) {
                throw new LatheException.Conflict("branch " + BRANCH_PREFIX + n + " exists: choose another name, or delete the branch (git branch -D "
                        + BRANCH_PREFIX + n + ")");
            }
            String start = baseCommit(git, base);
            add(git, n, path, start, "-b", BRANCH_PREFIX + n, path.toString(), start);
            // clean by construction, and its branch is where the main checkout's HEAD was: no git status walk over the
            // new checkout (a third of the cost at 10,000 files), no counting of commits for a branch made from HEAD
            return base == BaseRef.HEAD ? newInfo(main, n, path) : info(main, n, Cleanliness.NEW);
        }
    }

    /** The worktree a {@code WorktreeCreate} hook makes, remembered under its name; nothing of git is touched. */
    private WorktreeInfo createByHook(Path directory, Optional<String> name, Optional<String> sessionId) {
        Path main = gitMain(directory).orElseGet(() -> canonical(directory));
        synchronized (lock(main)) {
            String n = name.map(WorktreeNames::check).orElseGet(() -> WorktreeNames.generate(x -> taken(main, x)));
            if (taken(main, n)) throw new LatheException.Conflict("a worktree named " + n + " exists in " + main);
            Path made = hooks.create(directory, n, sessionId);
            try {
                Files.createDirectories(record(main, n).getParent());
                Files.writeString(record(main, n), made + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LatheException.Failed("the WorktreeCreate hook made " + made + " but Lathe cannot remember it: " + e.getMessage());
            }
            // the record must not show in the main checkout's git status either
            if (gitMain(main).isPresent()) exclude(new GitRun(main));
            return hooked(main, n, made);
        }
    }

    /**
     * {@code git worktree add ARGS} at {@code path} for worktree {@code n}, then the commit it starts from recorded and
     * the {@code .worktreeinclude} files copied; a failure in those takes the new worktree away again.
     */
    private void add(GitRun git, String n, Path path, String start, String... args) {
        // sessions recorded in a folder of this name before are not this worktree's (it was removed behind Lathe's back)
        sessions.gone(path);
        exclude(git);
        String[] command = new String[args.length + 2];
        command[0] = "worktree";
        command[1] = "add";
        System.arraycopy(args, 0, command, 2, args.length);
        git.ok(command);
        try {
            Files.writeString(adminFolder(path).resolve(BASE_FILE), start + "\n", StandardCharsets.UTF_8);
            IncludedFiles.copy(git, path, FileGateway.of(git.dir(), readRules.apply(git.dir())));
        } catch (RuntimeException | IOException e) {
            discard(git, path, n);
            throw new LatheException.Failed("cannot prepare worktree " + n + ": " + e.getMessage());
        }
    }

    /** A worktree made again for a session whose own was removed, and how it was made (for the user). */
    public record Revived(WorktreeInfo tree, String how) {}

    /**
     * A worktree again for a session that ran in worktree {@code name} of the repository at {@code main}, which is gone:
     * under the same name when it is free, checking out its branch when that still exists (removed behind Lathe's back:
     * its commits are there) or on a new branch from the main checkout's {@code HEAD} (Lathe removes a worktree only when
     * it holds nothing the branch point did not); under a new name when another worktree took the name since.
     */
    public Revived revive(Path main, String name) {
        var git = gitMainRun(new GitRun(main)).orElseThrow(() -> notARepository(main));
        Path root = git.dir();
        synchronized (lock(root)) {
            String n = WorktreeNames.check(name);
            Path path = folder(root, n);
            if (!taken(root, n)) {
                // a folder deleted by hand leaves git's record of it behind, which would refuse the add
                git.run("worktree", "prune");
                if (branchExists(git, n) && !git.run("worktree", "list", "--porcelain").lines().contains("branch refs/heads/" + BRANCH_PREFIX + n)) {
                    var fork = git.run("merge-base", "HEAD", BRANCH_PREFIX + n);
                    String start = fork.ok() ? fork.out().strip() : git.ok("rev-parse", BRANCH_PREFIX + n).strip();
                    add(git, n, path, start, "--quiet", path.toString(), BRANCH_PREFIX + n);
                    return new Revived(info(root, n), "from its branch " + BRANCH_PREFIX + n);
                }
                if (!branchExists(git, n)) {
                    String start = baseCommit(git, BaseRef.HEAD);
                    add(git, n, path, start, "--quiet", "-b", BRANCH_PREFIX + n, path.toString(), start);
                    return new Revived(newInfo(root, n, path), "from the main checkout's HEAD, on a new branch " + BRANCH_PREFIX + n);
                }
            }
        }
        // the name (or its branch) is another worktree's now: a worktree of a new name, as for a new session
        WorktreeInfo fresh = create(root, Optional.empty(), BaseRef.HEAD);
        return new Revived(fresh, "under a new name, " + fresh.name() + " (worktree " + name + " is another one now), from the main checkout's HEAD");
    }

    /** The worktrees of the repository at {@code directory}, by name (the ones hooks made after Lathe's own). */
    public List<WorktreeInfo> list(Path directory) {
        Path main = root(directory);
        Path root = main.resolve(WorktreeLocation.FOLDER);
        if (!Files.isDirectory(root)) return List.of();
        List<WorktreeInfo> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.sorted().toList()) {
                if (WorktreeLocation.of(p).isPresent()) out.add(info(main, p.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.isDirectory(root.resolve(HOOKED))) {
            try (Stream<Path> records = Files.list(root.resolve(HOOKED))) {
                for (Path r : records.sorted().toList()) {
                    String n = r.getFileName().toString();
                    hookedPath(main, n).ifPresent(made -> out.add(hooked(main, n, made)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(out);
    }

    /** Worktree {@code name} of the repository at {@code directory} with its status now. */
    public WorktreeInfo get(Path directory, String name) {
        Path main = root(directory);
        Optional<Path> made = hookedPath(main, WorktreeNames.check(name));
        if (made.isPresent()) return hooked(main, name, made.get());
        existing(main, name);
        return info(main, name);
    }

    /**
     * What happens to a session's worktree when the session ends: without changes and new commits it is removed with
     * its branch; otherwise it is kept for the user (DESIGN §18).
     */
    public WorktreeEnd end(Path directory, String name) {
        Path main = root(directory);
        synchronized (lock(main)) {
            Optional<Path> made = hookedPath(main, WorktreeNames.check(name));
            // what changed in a folder another tool made is that tool's to tell: it stays, and the user decides
            if (made.isPresent()) return new WorktreeEnd(name, "", made.get().toString(), WorktreeEnd.Ending.kept);
            Path path = folder(main, name);
            String branch = BRANCH_PREFIX + name;
            if (!Files.exists(path)) {
                sessions.gone(path);
                return new WorktreeEnd(name, branch, path.toString(), WorktreeEnd.Ending.removed);
            }
            var wt = new GitRun(path);
            if (!dirty(wt) && commitsSinceBase(wt, path) == 0) {
                discard(new GitRun(main), path, name);
                return new WorktreeEnd(name, branch, path.toString(), WorktreeEnd.Ending.removed);
            }
            return new WorktreeEnd(name, branch, path.toString(), WorktreeEnd.Ending.kept);
        }
    }

    /**
     * What a subagent left in its worktree, for its parent's tool result: the branch and {@code git diff --shortstat}
     * of every change since the worktree started (new files counted); an unchanged worktree is removed with its branch.
     */
    public String report(Path directory, String name) {
        Path main = root(directory);
        Optional<Path> made = hookedPath(main, WorktreeNames.check(name));
        if (made.isPresent()) {
            return "The agent worked in " + made.get() + ", the worktree a WorktreeCreate hook made (" + name + "), not in your working tree: "
                    + "review its changes there; lathe worktree remove " + name + " runs the WorktreeRemove hooks.";
        }
        Path path = existing(main, name);
        var wt = new GitRun(path);
        // new files count as changes: recorded as intended additions, which leaves them otherwise untracked
        wt.run("add", "--all", "--intent-to-add");
        String base;
        base = recordedBase(path).orElse("HEAD");
        String stat = wt.run("diff", "--shortstat", base).out().strip();
        String branch = BRANCH_PREFIX + name;
        if (end(main, name).ending() == WorktreeEnd.Ending.removed) {
            return "The agent worked in its own git worktree and changed nothing there; it was removed with its branch " + branch + ".";
        }
        return "The agent's changes are in git worktree " + path + " on branch " + branch + " (" + (stat.isEmpty() ? "commits only" : stat)
                + "), not in your working tree: review them there, or merge them with lathe worktree merge " + name + ".";
    }

    /** Removes worktree {@code request.name()} and its branch; refuses a dirty or unmerged one unless forced. */
    public WorktreeInfo remove(WorktreeRemoveRequest request) {
        Path main = root(Path.of(request.directory()));
        synchronized (lock(main)) {
            String name = WorktreeNames.check(request.name());
            Optional<Path> made = hookedPath(main, name);
            if (made.isPresent()) {
                // Lathe did not make it and cannot tell its changes: removing it is the WorktreeRemove hooks' work
                hooks.removing(main, made.get(), sessions.newestIn(made.get()));
                try {
                    Files.deleteIfExists(record(main, name));
                } catch (IOException e) {
                    throw new LatheException.Failed("cannot forget worktree " + name + ": " + e.getMessage());
                }
                sessions.gone(made.get());
                return hooked(main, name, made.get());
            }
            Path path = existing(main, name);
            WorktreeInfo before = info(main, name);
            if (request.force() != WorktreeRemoveRequest.Force.force) {
                var wt = new GitRun(path);
                if (before.dirty()) {
                    throw new LatheException.Conflict("worktree " + name + " has uncommitted changes (" + String.join(", ", changedFiles(wt))
                            + "): merge it first, or remove it with --force to drop them");
                }
                var git = new GitRun(main);
                int unmerged = Integer.parseInt(git.ok("rev-list", "--count", "HEAD.." + before.branch()).strip());
                if (unmerged > 0) {
                    throw new LatheException.Conflict("worktree " + name + " has " + unmerged + " commit(s) on " + before.branch()
                            + " that the main checkout does not hold: merge it first, or remove it with --force to drop them");
                }
            }
            discard(new GitRun(main), path, name);
            return before;
        }
    }

    /**
     * Merges worktree {@code name}'s branch into the main checkout's current branch, after committing the worktree's
     * uncommitted changes on its own branch. A dirty main checkout is refused first; a conflict aborts the merge
     * ({@code git merge --abort}) and is refused naming the files, so nothing is half applied.
     */
    public WorktreeMerge merge(Path directory, String name) {
        Path main = root(directory);
        synchronized (lock(main)) {
            String n = WorktreeNames.check(name);
            if (hookedPath(main, n).isPresent()) {
                throw new LatheException.Conflict("worktree " + n + " was made by a WorktreeCreate hook, not by git: bring its changes over with the "
                        + "tool that made it");
            }
            Path path = existing(main, n);
            var git = new GitRun(main);
            List<String> mainChanges = git.run("status", "--porcelain", "--untracked-files=no").lines();
            if (!mainChanges.isEmpty()) {
                throw new LatheException.Conflict("the main checkout " + main + " has uncommitted changes (" + String.join(", ", mainChanges.stream()
                        .map(l -> l.substring(3)).toList()) + "): commit or stash them before merging worktree " + n);
            }
            var wt = new GitRun(path);
            boolean worktreeDirty = dirty(wt);
            String branchName = BRANCH_PREFIX + n;
            // a commit is needed (the worktree's changes, or a merge commit): without a git identity git would stop
            // half way with its own several-line message, so it is asked first and said in one line
            if (worktreeDirty || !git.run("merge-base", "--is-ancestor", "HEAD", branchName).ok()) requireIdentity(git, n);
            Optional<String> committed = Optional.empty();
            if (worktreeDirty) {
                wt.ok("add", "-A");
                wt.ok("commit", "--quiet", "--no-verify", "-m", "lathe: changes from worktree " + n);
                committed = Optional.of(wt.ok("rev-parse", "HEAD").strip());
            }
            String into = git.run("symbolic-ref", "--quiet", "--short", "HEAD").out().strip();
            String branch = BRANCH_PREFIX + n;
            var merged = git.run("merge", "--no-edit", "--no-verify", branch);
            if (!merged.ok()) {
                List<String> conflicts = git.run("diff", "--name-only", "--diff-filter=U").lines();
                if (Files.exists(gitDir(git).resolve("MERGE_HEAD"))) git.run("merge", "--abort");
                if (!conflicts.isEmpty()) {
                    String target = into.isEmpty() ? "HEAD" : into;
                    // the worktree's own commit stays (its changes are safe on the branch); the user is told so, and both
                    // ways to go on: resolve in the main checkout, or bring the branch up to date in the worktree
                    String kept = committed.map(c -> "; the worktree's uncommitted changes were committed on " + branch + " first (" + c.substring(0, 12)
                            + " \"lathe: changes from worktree " + n + "\"), so the worktree is clean now").orElse("");
                    throw new LatheException.Conflict("merge_conflict", "merging " + branch + " into " + target
                            + " stopped on conflicts in: " + String.join(", ", conflicts) + "; the merge was aborted and nothing changed in " + main + kept
                            + ". To resolve: run git merge " + branch + " in " + main + ", fix the files, git add them and git commit; or in the worktree "
                            + path + " run git merge " + target + ", fix and commit there, then lathe worktree merge " + n + " again");
                }
                throw new LatheException.Failed("git merge " + branch + " failed: " + (merged.err() + merged.out()).strip());
            }
            return new WorktreeMerge(n, branch, into.isEmpty() ? "HEAD" : into, committed);
        }
    }

    /** Refuses, changing nothing, when git has no user name and email to commit with. */
    private static void requireIdentity(GitRun git, String name) {
        if (git.run("var", "GIT_AUTHOR_IDENT").ok() && git.run("var", "GIT_COMMITTER_IDENT").ok()) return;
        throw new LatheException.InvalidInput("git does not know who you are, and merging worktree " + name + " needs a commit: set "
                + "git config --global user.name \"Your Name\" and git config --global user.email you@example.com, then merge again (nothing was changed)");
    }

    /** Whether a worktree's uncommitted changes must be looked for, or it was just made and has none. */
    private enum Cleanliness { CHECK, NEW }

    private WorktreeInfo info(Path main, String name) {
        return info(main, name, Cleanliness.CHECK);
    }

    private WorktreeInfo info(Path main, String name, Cleanliness cleanliness) {
        Path path = folder(main, name);
        String branch = WorktreeLocation.of(path).map(w -> w.branch()).orElse(BRANCH_PREFIX + name);
        var counts = new GitRun(main).run("rev-list", "--left-right", "--count", "HEAD..." + branch);
        int behind = 0;
        int ahead = 0;
        if (counts.ok()) {
            String[] two = counts.out().strip().split("\\s+");
            behind = Integer.parseInt(two[0]);
            ahead = Integer.parseInt(two[1]);
        }
        boolean dirty = cleanliness == Cleanliness.CHECK && dirty(new GitRun(path));
        return new WorktreeInfo(name, branch, path.toString(), main.toString(), ahead, behind, dirty, sessions.newestIn(path));
    }

    /** A worktree just made from the main checkout's HEAD: neither ahead nor behind, and clean. */
    private WorktreeInfo newInfo(Path main, String name, Path path) {
        return new WorktreeInfo(name, BRANCH_PREFIX + name, path.toString(), main.toString(), 0, 0, false, sessions.newestIn(path));
    }

    private static Path existing(Path main, String name) {
        Path path = folder(main, name);
        if (WorktreeLocation.of(path).isEmpty()) throw new LatheException.NotFound("no worktree named " + name + " in " + main);
        return path;
    }

    private static boolean dirty(GitRun worktree) {
        return !worktree.run("status", "--porcelain").lines().isEmpty();
    }

    private static List<String> changedFiles(GitRun worktree) {
        return worktree.run("status", "--porcelain").lines().stream().map(l -> l.substring(3)).toList();
    }

    /** Commits on the worktree's HEAD since the commit it started from (from its merge base with nothing recorded). */
    private static int commitsSinceBase(GitRun wt, Path path) {
        Optional<String> recorded = recordedBase(path);
        if (recorded.isEmpty()) return Integer.MAX_VALUE;
        String base = recorded.get();
        var r = wt.run("rev-list", "--count", base + "..HEAD");
        return r.ok() ? Integer.parseInt(r.out().strip()) : Integer.MAX_VALUE;
    }

    private static String baseCommit(GitRun git, BaseRef base) {
        String ref = switch (base) {
            case HEAD -> "HEAD";
            case FRESH -> {
                var r = git.run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD");
                if (!r.ok()) {
                    throw new LatheException.InvalidInput("worktree.baseRef is \"fresh\" but " + git.dir()
                            + " knows no default branch of remote origin (run git remote set-head origin --auto)");
                }
                yield r.out().strip();
            }
        };
        var commit = git.run("rev-parse", "--verify", "--quiet", ref + "^{commit}");
        if (!commit.ok()) throw new LatheException.InvalidInput("cannot start a worktree: " + git.dir() + " has no commit yet at " + ref);
        return commit.out().strip();
    }

    private static boolean branchExists(GitRun git, String name) {
        return git.run("show-ref", "--verify", "--quiet", "refs/heads/" + BRANCH_PREFIX + name).ok();
    }

    /** The most of {@code .git/info/exclude} read to find Lathe's line: a file of patterns, never near this long. */
    private static final int EXCLUDE_MAX_BYTES = 1 << 20;

    /**
     * The commit the worktree started from, as Lathe recorded it in the worktree's admin folder, when it is a commit id:
     * that folder is writable from the worktree's sandbox (issue 52), and the value is handed to git as an argument, so
     * anything else (an option such as {@code --output=FILE}, a revision expression) is not used.
     */
    private static Optional<String> recordedBase(Path worktree) {
        try {
            String base = FileGateway.readRecord(adminFolder(worktree).resolve(BASE_FILE), FileGateway.RECORD_MAX_BYTES).strip();
            return base.matches("[0-9a-f]{40}|[0-9a-f]{64}") ? Optional.of(base) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Adds {@code .lathe/worktrees/} to {@code .git/info/exclude} (never the user's {@code .gitignore}) once. */
    private static void exclude(GitRun git) {
        Path common = gitDir(git);
        Path exclude = common.resolve("info").resolve("exclude");
        String line = "/" + WorktreeLocation.FOLDER + "/";
        try {
            // git's own file, but a link or FIFO there would be followed by the append below: the gateway refuses both
            String before = Files.exists(exclude, LinkOption.NOFOLLOW_LINKS) ? FileGateway.readRecord(exclude, EXCLUDE_MAX_BYTES) : "";
            if (before.lines().anyMatch(l -> l.strip().equals(line))) return;
            Files.createDirectories(exclude.getParent());
            String add = (before.isEmpty() || before.endsWith("\n") ? "" : "\n") + "# Lathe's session worktrees (DESIGN §19)\n" + line + "\n";
            Files.writeString(exclude, add, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LatheException.Failed("cannot add " + line + " to " + exclude + ": " + e.getMessage());
        }
    }

    /**
     * The repository's common git folder (the main checkout's {@code .git}): the folder itself when it is one, without a
     * git process; asked of git otherwise (a main checkout that is a submodule's, or another tool's linked checkout).
     */
    private static Path gitDir(GitRun git) {
        Path dotGit = git.dir().resolve(".git");
        if (Files.isDirectory(dotGit) && Files.isRegularFile(dotGit.resolve("HEAD"))) return dotGit;
        return git.dir().resolve(git.ok("rev-parse", "--git-common-dir").strip()).normalize();
    }

    /**
     * The worktree's own admin folder in the main checkout's {@code .git/worktrees/}, as the {@code gitdir:} line of the
     * {@code .git} file git writes in every linked worktree names it (read without a git process).
     */
    private static Path adminFolder(Path worktree) {
        Path dotGit = worktree.resolve(".git");
        try {
            String pointer = FileGateway.readRecord(dotGit, FileGateway.RECORD_MAX_BYTES).strip();
            if (pointer.startsWith("gitdir:")) return worktree.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
        } catch (IOException e) {
            // not readable as a file: git says where it is, or says why not
        }
        return worktree.resolve(new GitRun(worktree).ok("rev-parse", "--git-dir").strip()).normalize();
    }

    /** Removes the worktree folder, git's record of it and its branch, whatever they hold; WorktreeRemove hooks are told first. */
    private void discard(GitRun main, Path path, String name) {
        hooks.removing(main.dir(), path, sessions.newestIn(path));
        var removed = main.run("worktree", "remove", "--force", "--force", path.toString());
        if (!removed.ok() && Files.exists(path)) throw new LatheException.Failed("cannot remove worktree " + path + ": " + removed.err().strip());
        main.run("worktree", "prune");
        main.run("branch", "-D", BRANCH_PREFIX + name);
        sessions.gone(path);
    }

    /** A worktree of Lathe's or a hook's holds the name, or its folder exists. */
    private static boolean taken(Path main, String name) {
        return Files.exists(folder(main, name)) || Files.exists(record(main, name));
    }

    private static Path record(Path main, String name) {
        return main.resolve(WorktreeLocation.FOLDER).resolve(HOOKED).resolve(name);
    }

    /** The folder a hook made for worktree {@code name}, when one did. */
    private static Optional<Path> hookedPath(Path main, String name) {
        Path r = record(main, name);
        if (!Files.isRegularFile(r)) return Optional.empty();
        try {
            return Optional.of(Path.of(FileGateway.readRecord(r, FileGateway.RECORD_MAX_BYTES).strip()));
        } catch (IOException | RuntimeException e) {
            throw new LatheException.Failed("cannot read " + r + ": " + e.getMessage());
        }
    }

    private WorktreeInfo hooked(Path main, String name, Path made) {
        return new WorktreeInfo(name, "", made.toString(), main.toString(), 0, 0, false, sessions.newestIn(made));
    }

    /** The main checkout of a git repository, or the folder itself when it is none (where a hook's worktrees are remembered). */
    private static Path root(Path directory) {
        if (!Files.isDirectory(directory)) throw new LatheException.InvalidInput("not a folder: " + directory);
        Optional<Path> main = gitMain(directory);
        if (main.isPresent()) return main.get();
        Path dir = canonical(directory);
        if (Files.isDirectory(dir.resolve(WorktreeLocation.FOLDER).resolve(HOOKED))) return dir;
        return mainCheckout(directory);  // refuses: not a git repository
    }

    private static Path folder(Path main, String name) {
        return main.resolve(WorktreeLocation.FOLDER).resolve(name);
    }

    private Object lock(Path main) {
        return repositoryLocks.computeIfAbsent(main, _ -> new Object());
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
