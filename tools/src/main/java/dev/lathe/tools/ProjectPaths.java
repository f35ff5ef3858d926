package dev.lathe.tools;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Paths in tool arguments: absolute, or relative to the project folder. A path outside the project must pass the
 * {@code external_directory} permission before the tool's own check. The forms taking a project folder instead of a
 * {@link ToolContext} are the same rules for code that asks what a tool call would be checked for without running it
 * ({@code lathe debug permission}).
 */
public final class ProjectPaths {
    private ProjectPaths() {}

    public static Path resolve(ToolContext ctx, String path) {
        return resolve(ctx.projectDir(), path);
    }

    /** {@code path} (absolute, {@code ~/...}, or relative) resolved against {@code projectDir} and normalised. */
    public static Path resolve(Path projectDir, String path) {
        if (path == null || path.isBlank()) throw new ToolFailure("path must not be empty");
        String p = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
        try {
            return projectDir.resolve(p).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            // a path no file can have (a NUL character): the model can fix it, the turn goes on
            throw new ToolFailure("Invalid path '" + p.replace("\0", "\\0") + "': " + e.getReason());
        }
    }

    public static boolean isInside(ToolContext ctx, Path path) {
        return path.startsWith(ctx.projectDir());
    }

    /** The pattern permission rules see: relative to the project with {@code /}, or absolute when outside. */
    public static String pattern(ToolContext ctx, Path path) {
        return pattern(ctx.projectDir(), path);
    }

    /** The pattern permission rules see for {@code path} in the project {@code projectDir}. */
    public static String pattern(Path projectDir, Path path) {
        if (!path.startsWith(projectDir)) return path.toString();
        String rel = projectDir.relativize(path).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /** Asks {@code external_directory} for a path outside the project; a no-op inside. */
    public static void checkExternal(ToolContext ctx, Path path, boolean isDirectory) {
        Path folder = isDirectory ? path : path.getParent() == null ? path : path.getParent();
        externalCheck(ctx.projectDir(), path, folder).ifPresent(ctx.permissions()::require);
    }

    /**
     * The {@code external_directory} check a tool makes for {@code path} when it is outside {@code projectDir}, on
     * {@code folder} (the path itself when it is a folder, else the folder holding it); empty inside the project.
     */
    public static Optional<PermissionCheck> externalCheck(Path projectDir, Path path, Path folder) {
        if (path.startsWith(projectDir)) return Optional.empty();
        String pattern = folder.toString().endsWith("/") ? folder + "*" : folder + "/*";
        return Optional.of(PermissionCheck.of("external_directory", PermissionSource.Pattern.PATH, pattern, "Access outside the project: " + path));
    }
}
