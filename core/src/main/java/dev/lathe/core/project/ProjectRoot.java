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

    /** The nearest folder at or above {@code dir} holding {@code .git}, else {@code dir}. */
    public static Path repoRoot(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) return p;
        }
        return dir;
    }
}
