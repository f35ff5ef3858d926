package dev.lathe.core.sandbox;

import dev.lathe.core.config.SandboxConfig;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a sandboxed command sees of the file system: {@code project} writable (and {@code gitDir}, the repository's
 * {@code .git} when the project is a subfolder of it), {@code readOnly} paths bound read-only on top even inside the
 * project (git's hooks and config, Lathe's project and user config), the rest of the root read-only, its own
 * {@code /tmp}. Paths are absolute.
 */
public record SandboxLayout(Path project, List<Path> gitDirs, List<Path> readOnly) {
    /** How many project entries {@link #hidden} looks at before it stops (a huge tree must not stall every command). */
    static final int MAX_WALK = 200_000;

    public SandboxLayout {
        gitDirs = List.copyOf(gitDirs);
        readOnly = List.copyOf(readOnly);
    }

    /**
     * The layout of a project at {@code project} in the repository at {@code repoRoot} (the same folder when it is the
     * repository's root), with the user's Lathe config folder {@code userConfig}.
     */
    public static SandboxLayout of(Path project, Path repoRoot, Path userConfig) {
        Path p = project.toAbsolutePath().normalize();
        Path git = repoRoot.toAbsolutePath().normalize().resolve(".git");
        List<Path> gitDirs = git.startsWith(p) ? List.of() : List.of(git);
        List<Path> ro = new ArrayList<>(List.of(git.resolve("hooks"), git.resolve("config"), p.resolve(".lathe"), p.resolve("lathe.json"),
                p.resolve("lathe.jsonc"), userConfig.toAbsolutePath().normalize()));
        return new SandboxLayout(p, gitDirs, ro);
    }

    /** A project path to hide: a file under an empty read-only file, a folder under an empty read-only tmpfs. */
    record Hidden(Path path, boolean folder) {}

    /** The project entries {@code denied} (given a path relative to the project, {@code /}-separated) says to hide. */
    List<Hidden> hidden(Predicate<String> denied) {
        List<Hidden> out = new ArrayList<>();
        int[] seen = {0};
        try {
            Files.walkFileTree(project, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (++seen[0] > MAX_WALK) return FileVisitResult.TERMINATE;
                    if (dir.equals(project)) return FileVisitResult.CONTINUE;
                    if (dir.getFileName().toString().equals(".git")) return FileVisitResult.SKIP_SUBTREE;
                    String rel = relative(dir);
                    if (denied.test(rel) || denied.test(rel + "/")) {
                        out.add(new Hidden(dir, true));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (++seen[0] > MAX_WALK) return FileVisitResult.TERMINATE;
                    if (denied.test(relative(file))) out.add(new Hidden(file, attrs.isDirectory()));
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
        return out;
    }

    private String relative(Path p) {
        return project.relativize(p).toString().replace('\\', '/');
    }

    /** bubblewrap's arguments (before {@code --chdir} and the command) for {@code config}, hiding {@code hidden}. */
    List<String> arguments(SandboxConfig config, List<Hidden> hidden) {
        List<String> a = new ArrayList<>(List.of("--die-with-parent", "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp"));
        switch (config.network()) {
            case SandboxConfig.Network.Off _ -> a.add("--unshare-net");
            case SandboxConfig.Network.On _, SandboxConfig.Network.Hosts _ -> { }
        }
        bind(a, "--bind", project);
        for (Path g : gitDirs) if (Files.isDirectory(g)) bind(a, "--bind", g);
        for (String w : config.writable()) {
            Path p = project.resolve(w.startsWith("~/") ? System.getProperty("user.home") + w.substring(1) : w).normalize();
            if (Files.exists(p)) bind(a, "--bind", p);
        }
        for (Path p : readOnly) if (SandboxLauncher.exists(p)) bind(a, "--ro-bind", p);
        for (Hidden h : hidden) {
            if (h.folder()) {
                a.addAll(List.of("--tmpfs", h.path().toString(), "--remount-ro", h.path().toString()));
            } else {
                a.addAll(List.of("--ro-bind", EmptyFile.path().toString(), h.path().toString()));
            }
        }
        return a;
    }

    private static void bind(List<String> a, String how, Path p) {
        a.add(how);
        a.add(p.toString());
        a.add(p.toString());
    }
}
