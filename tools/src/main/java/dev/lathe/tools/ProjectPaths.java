package dev.lathe.tools;

import java.nio.file.Path;

/**
 * Paths in tool arguments: absolute, or relative to the project folder. A path outside the project must pass the
 * {@code external_directory} permission before the tool's own check.
 */
public final class ProjectPaths {
    private ProjectPaths() {}

    public static Path resolve(ToolContext ctx, String path) {
        if (path == null || path.isBlank()) throw new ToolFailure("path must not be empty");
        String p = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
        return ctx.projectDir().resolve(p).toAbsolutePath().normalize();
    }

    public static boolean isInside(ToolContext ctx, Path path) {
        return path.startsWith(ctx.projectDir());
    }

    /** The pattern permission rules see: relative to the project with {@code /}, or absolute when outside. */
    public static String pattern(ToolContext ctx, Path path) {
        if (!isInside(ctx, path)) return path.toString();
        String rel = ctx.projectDir().relativize(path).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /** Asks {@code external_directory} for a path outside the project; a no-op inside. */
    public static void checkExternal(ToolContext ctx, Path path, boolean isDirectory) {
        if (isInside(ctx, path)) return;
        Path dir = isDirectory ? path : path.getParent() == null ? path : path.getParent();
        String pattern = dir.toString().endsWith("/") ? dir + "*" : dir + "/*";
        ctx.permissions().require(PermissionCheck.of("external_directory", pattern, "Access outside the project: " + path));
    }
}
