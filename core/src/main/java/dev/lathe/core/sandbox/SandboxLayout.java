package dev.lathe.core.sandbox;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.ProtectedPaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a sandboxed command sees of the file system: {@code project} writable (and {@code gitDirs}, the repository's
 * {@code .git} when the project is a subfolder of it), {@code readOnly} paths bound read-only on top even inside the
 * project (every entry of {@link ProtectedPaths#ENTRIES}: config that makes Lathe or git run code, and the user's
 * folders of the same), the rest of the root read-only, its own {@code /tmp}; without network, {@code socketFolders}
 * hidden and no unix socket can be made ({@link UnixSocketFilter}); {@code secrets}, Lathe's own secret files, blanked
 * wherever they are. Paths are absolute. A read-only path that does not exist but could be created inside a writable folder
 * gets an empty placeholder ({@link #inWritableFolders}, {@link Placeholders}), so it cannot be created from inside
 * either; in the work tree, where a placeholder would show in every listing, one created is moved aside instead
 * ({@link #createdAfterwards}).
 */
public record SandboxLayout(Path project, List<Path> gitDirs, List<Guarded> readOnly, List<Path> socketFolders, List<Path> secrets) {
    /** How many project entries {@link #hidden} looks at before it stops (a huge tree must not stall every command). */
    static final int MAX_WALK = 200_000;

    public SandboxLayout {
        gitDirs = List.copyOf(gitDirs);
        readOnly = List.copyOf(readOnly);
        socketFolders = List.copyOf(socketFolders);
        secrets = List.copyOf(secrets);
    }

    /**
     * The layout of a project at {@code project} in the repository at {@code repoRoot}, guarding every entry of
     * {@link ProtectedPaths#ENTRIES} there and the user's folders {@code userFolders} (the same list the file tools ask
     * for, so the two layers cannot drift apart); the socket folders to hide and Lathe's secrets are where {@code env}
     * (the server's environment) places them.
     */
    public static SandboxLayout of(Path project, Path repoRoot, List<Path> userFolders, Map<String, String> env) {
        return of(project, repoRoot, userFolders, List.of(), env);
    }

    /**
     * As {@link #of(Path, Path, List, Map)}, with {@code configNamed} bound read-only too: the folders the project's
     * configuration names that run code (a Claude Code plugin's folder, wherever {@code plugins} points: its
     * {@code hooks/hooks.json} and {@code .mcp.json} are what trust pinned, DESIGN §24).
     */
    public static SandboxLayout of(Path project, Path repoRoot, List<Path> userFolders, List<Path> configNamed, Map<String, String> env) {
        Path p = project.toAbsolutePath().normalize();
        Path git = repoRoot.toAbsolutePath().normalize().resolve(".git");
        // a linked worktree's .git is a file: git writes only its own parts of the main checkout's .git (DESIGN §19)
        // the project's own .git folder is bound onto itself too: a mount point cannot be renamed, so a command cannot
        // move .git aside (and its guarded hooks and config with it) and put a folder of its own in its place
        List<Path> gitDirs = !git.startsWith(p) ? List.of(git)
                : Files.isDirectory(git, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? List.of(git) : WorktreeGitDirs.of(git);
        List<Guarded> ro = new ArrayList<>();
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            Path path = (e.base() == ProtectedPaths.Base.GIT_DIR ? git : p).resolve(e.name());
            ro.add(new Guarded(path, placeholder(e)));
        }
        // a linked worktree's own admin folder is writable (its index, HEAD): what git reads there as config, or as where
        // the config is, is not; nor is the worktree's .git file, which names the admin folder (DESIGN §24)
        if (!gitDirs.isEmpty() && !gitDirs.getFirst().equals(git)) {
            Path admin = gitDirs.getFirst();
            ro.add(new Guarded(git, Placeholder.MOVED_ASIDE));
            for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
                if (e.base() == ProtectedPaths.Base.GIT_DIR) ro.add(new Guarded(admin.resolve(e.name()), placeholder(e)));
            }
            ro.add(new Guarded(admin.resolve("gitdir"), Placeholder.MOVED_ASIDE));
        }
        for (Path u : userFolders) ro.add(new Guarded(u.toAbsolutePath().normalize(), Placeholder.FOLDER));
        for (Path c : configNamed) ro.add(new Guarded(wayTo(c.toAbsolutePath().normalize()), Placeholder.FOLDER));
        return new SandboxLayout(p, gitDirs, ro, SocketFolders.of(env), SandboxLauncher.secrets(LathePaths.fromEnvironment(env)));
    }

    /**
     * {@code folder} when its parent exists, else the first folder on the way to it that does not exist yet: a plugin
     * folder config names but nobody has made yet must not be made by a sandboxed command with its own
     * {@code hooks/hooks.json} (issue 52), and a stand-in is made only where its parent exists, so the stand-in goes
     * where the way to it starts. The layout is made again for each step, so a folder made meanwhile is guarded as itself.
     */
    private static Path wayTo(Path folder) {
        Path out = folder;
        while (out.getParent() != null && !Files.exists(out.getParent(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) out = out.getParent();
        return out;
    }

    /**
     * What stands in for a missing protected entry. git reads its config files even when empty, and git status never
     * lists .git: an empty hooks folder and empty config files stand in there (what git init leaves). In the work tree a
     * stand-in showed in every {@code ls -a} the model ran, as a folder even for {@code .mcp.json} ("Is a directory",
     * issue 71): a missing {@code .claude}, {@code .mcp.json}, {@code lathe.json}, ... stays missing inside, and one the
     * command creates is moved aside at once ({@link CreatedConfigWatch}) and again when it ends. {@code .lathe} is
     * Lathe's own folder, which Lathe itself fills while commands run (worktrees, project config): its stand-in is a real
     * folder that stays, as {@code .git/hooks} does, so the listing shows what the project holds.
     */
    private static Placeholder placeholder(ProtectedPaths.Entry e) {
        // git fails on an empty commondir (it reads it as a path): one a command makes is moved aside when it ends instead
        if (e.base() == ProtectedPaths.Base.GIT_DIR && e.name().equals("commondir")) return Placeholder.MOVED_ASIDE;
        if (e.base() == ProtectedPaths.Base.GIT_DIR) return e.kind() == ProtectedPaths.Kind.FOLDER ? Placeholder.FOLDER : Placeholder.FILE;
        return e.name().equals(LATHE_FOLDER) ? Placeholder.FOLDER : Placeholder.MOVED_ASIDE;
    }

    /** Lathe's own project folder: its stand-in stays ({@link Placeholders}). */
    static final String LATHE_FOLDER = ".lathe";

    /**
     * A path a sandboxed command may read but never create, change or replace: git's hooks and config, Lathe's own
     * config. {@code placeholder} is what stands in for it while it does not exist.
     */
    public record Guarded(Path path, Placeholder placeholder) {}

    /**
     * What stands in for a missing {@link Guarded} path, bound read-only: an empty folder, an empty file, or nothing
     * (for a path nothing reads); or, in the work tree where a stand-in would show in every listing, nothing while the
     * command runs and the path moved aside when it ends if the command created it ({@link #createdAfterwards}).
     */
    public enum Placeholder { FOLDER, FILE, MOVED_ASIDE }

    /**
     * The guarded work-tree paths that do not exist now and that a command could create (their parent is writable):
     * any of them that exists when the command has ended was made by it (or by something at the same time) and is moved
     * aside, so Lathe never reads it as the project's config.
     */
    List<Path> createdAfterwards(SandboxConfig config) {
        List<Path> writable = writableRoots(config);
        List<Path> out = new ArrayList<>();
        for (Guarded g : readOnly) {
            Path parent = g.path().getParent();
            if (g.placeholder() != Placeholder.MOVED_ASIDE || parent == null || SandboxLauncher.exists(g.path())) continue;
            if (!Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue; // a worktree's .git is a file
            if (writable.stream().anyMatch(parent::startsWith)) out.add(g.path());
        }
        return out;
    }

    /**
     * The guarded paths with a placeholder that a sandboxed command could create were they missing, because their parent is an existing folder
     * it may write (the project, the repository's {@code .git}, a {@code writable} entry of {@code config}), whether
     * they exist now or not. {@code .git/hooks} and {@code .git/config} count only when {@code .git} is a folder: a
     * project that is not a repository may become one ({@code git init}), and a worktree's {@code .git} is a file.
     */
    List<Guarded> inWritableFolders(SandboxConfig config) {
        List<Path> writable = writableRoots(config);
        List<Guarded> out = new ArrayList<>();
        for (Guarded g : readOnly) {
            Path parent = g.path().getParent();
            if (g.placeholder() == Placeholder.MOVED_ASIDE || parent == null || !Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            if (writable.stream().anyMatch(parent::startsWith)) out.add(g);
        }
        return out;
    }

    /** The existing folders bound writable: the project, the repository's {@code .git}, {@code config}'s writable entries. */
    private List<Path> writableRoots(SandboxConfig config) {
        List<Path> out = new ArrayList<>(List.of(project));
        for (Path g : gitDirs) if (Files.isDirectory(g)) out.add(g);
        for (String w : config.writable()) {
            Path p = writable(w);
            if (Files.exists(p)) out.add(p);
        }
        return out;
    }

    /** A {@code writable} entry as a path: relative ones against the project, {@code ~/} against the user's home. */
    private Path writable(String entry) {
        return project.resolve(entry.startsWith("~/") ? System.getProperty("user.home") + entry.substring(1) : entry).normalize();
    }

    /** A project path to hide: a file under an empty read-only file, a folder under an empty read-only tmpfs. */
    record Hidden(Path path, boolean folder) {}

    /**
     * The walk of {@link #hidden} reached {@code limit} entries before it saw the whole project: what it did not see may
     * hold denied files, so the command is not run rather than run with them visible (fail closed).
     */
    static final class WalkCut extends Exception {
        WalkCut(int limit) {
            super("the project has more than " + limit + " files and folders, too many to check every one against the read rules that"
                    + " deny files; the sandboxed command is not run, as a denied file could stay visible to it. Remove the deny rules,"
                    + " move large generated folders out of the project, or set \"sandbox\": \"off\"");
        }
    }

    /** The project entries {@code denied} (given a path relative to the project, {@code /}-separated) says to hide. */
    List<Hidden> hidden(Predicate<String> denied) throws WalkCut {
        return hidden(denied, MAX_WALK);
    }

    /** {@link #hidden(Predicate)}, walking at most {@code limit} entries: more fails. */
    List<Hidden> hidden(Predicate<String> denied, int limit) throws WalkCut {
        List<Hidden> out = new ArrayList<>();
        // a hard link is the denied file under another name: every regular file's identity (device and inode) is noted,
        // and the names sharing one with a denied file are hidden too
        Map<Object, List<Path>> byKey = new HashMap<>();
        Set<Object> deniedKeys = new HashSet<>();
        int[] seen = {0};
        // the hidden folder being walked (its files are noted as denied, not hidden one by one), or null
        Path[] insideHidden = {null};
        try {
            Files.walkFileTree(project, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (++seen[0] > limit) return FileVisitResult.TERMINATE;
                    if (dir.equals(project) || insideHidden[0] != null) return FileVisitResult.CONTINUE;
                    if (dir.getFileName().toString().equals(".git")) return FileVisitResult.SKIP_SUBTREE;
                    String rel = relative(dir);
                    if (denied.test(rel) || denied.test(rel + "/")) {
                        out.add(new Hidden(dir, true));
                        insideHidden[0] = dir;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (dir.equals(insideHidden[0])) insideHidden[0] = null;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (++seen[0] > limit) return FileVisitResult.TERMINATE;
                    boolean inFolder = insideHidden[0] != null;
                    boolean hide = inFolder || denied.test(relative(file));
                    if (hide && !inFolder) out.add(new Hidden(file, attrs.isDirectory()));
                    if (attrs.isRegularFile() && attrs.fileKey() != null) {
                        if (hide) deniedKeys.add(attrs.fileKey());
                        else byKey.computeIfAbsent(attrs.fileKey(), _ -> new ArrayList<>(1)).add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // an unreadable project: nothing more to hide than what was found
        }
        if (seen[0] > limit) throw new WalkCut(limit);
        for (Object key : deniedKeys) for (Path alias : byKey.getOrDefault(key, List.of())) out.add(new Hidden(alias, false));
        return out;
    }

    private String relative(Path p) {
        return project.relativize(p).toString().replace('\\', '/');
    }

    /** The descriptor bubblewrap reads {@link UnixSocketFilter}'s program from (the launcher opens it). */
    static final int SECCOMP_FD = 3;

    /** bubblewrap's arguments (before {@code --chdir} and the command) for {@code config}, hiding {@code hidden}. */
    List<String> arguments(SandboxConfig config, List<Hidden> hidden) {
        List<String> a = new ArrayList<>(List.of("--die-with-parent", "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp"));
        boolean writableInTmp = writableInTmp(config);
        // a folder it may write lies under /tmp: a write to another path there must fail as everywhere else outside the
        // project, not land in the throwaway /tmp; the command's own temporary folder moves to PRIVATE_TMP (TMPDIR)
        if (writableInTmp) a.addAll(List.of("--tmpfs", PRIVATE_TMP));
        switch (config.network()) {
            case SandboxConfig.Network.Off _ -> {
                a.add("--unshare-net");
                // no unix socket can be made (the filter), and the folders where sockets live are empty besides
                a.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD)));
                for (Path f : socketFolders) a.addAll(List.of("--tmpfs", f.toString()));
            }
            case SandboxConfig.Network.On _, SandboxConfig.Network.Hosts _ -> { }
        }
        for (Path w : writableRoots(config)) bind(a, "--bind", w);
        for (Guarded g : readOnly) if (SandboxLauncher.exists(g.path())) bind(a, "--ro-bind", g.path());
        for (Hidden h : hidden) {
            if (h.folder()) {
                a.addAll(List.of("--tmpfs", h.path().toString(), "--remount-ro", h.path().toString()));
            } else {
                a.addAll(List.of("--ro-bind", EmptyFile.path().toString(), h.path().toString()));
            }
        }
        // last: the binds above made their mount points in /tmp while it was writable; the mounts on it stay as they are
        if (writableInTmp) a.addAll(List.of("--remount-ro", "/tmp"));
        return a;
    }

    /** The command's own temporary folder when a writable folder lies under {@code /tmp} (which is then read-only inside). */
    static final String PRIVATE_TMP = "/tmp/.lathe-sandbox-tmp";

    /** The {@code TMPDIR} a command gets: {@code /tmp}, or {@link #PRIVATE_TMP} when {@code /tmp} is read-only inside. */
    String temporaryFolder(SandboxConfig config) {
        return writableInTmp(config) ? PRIVATE_TMP : "/tmp";
    }

    private boolean writableInTmp(SandboxConfig config) {
        Path tmp = Path.of("/tmp");
        return writableRoots(config).stream().anyMatch(w -> w.startsWith(tmp) && !w.equals(tmp));
    }

    private static void bind(List<String> a, String how, Path p) {
        a.add(how);
        a.add(p.toString());
        a.add(p.toString());
    }
}
