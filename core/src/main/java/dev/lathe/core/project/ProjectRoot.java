package dev.lathe.core.project;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project folder as given (normalised) and the repository root above it, if any. */
public final class ProjectRoot {
    private ProjectRoot() {}

    public static Path normalise(String directory) {
        Path p = Path.of(directory).toAbsolutePath().normalize();
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p;
        }
    }

    /**
     * The folders from {@code workingDir} up to {@code repoRoot}, nearest first ({@code workingDir} alone when it is
     * not inside {@code repoRoot}): where project files such as {@code .lathe/commands} are looked for.
     */
    public static java.util.List<Path> upToRoot(Path workingDir, Path repoRoot) {
        var out = new java.util.ArrayList<Path>();
        for (Path p = workingDir; p != null && p.startsWith(repoRoot); p = p.getParent()) out.add(p);
        if (out.isEmpty()) out.add(workingDir);
        return java.util.List.copyOf(out);
    }

    /** The nearest folder at or above {@code dir} holding {@code .git}, else {@code dir}. */
    public static Path repoRoot(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) return p;
        }
        return dir;
    }
}
