package dev.lathe.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Paths in tool arguments: absolute, or relative to the project folder. A path outside the project must pass the
 * {@code external_directory} permission before the tool's own check. The forms taking a project folder instead of a
 * {@link ToolContext} are the same rules for code that asks what a tool call would be checked for without running it
 * ({@code lathe debug permission}).
 *
 * <p>Decisions are made on real paths ({@link #real}): a link inside the project pointing outside is outside, a link
 * onto a denied file is that file. A tool opens the real path it decided on without following a link at its last
 * component ({@link java.nio.file.LinkOption#NOFOLLOW_LINKS}), so a link swapped in after the check is refused.
 */
public final class ProjectPaths {
    private ProjectPaths() {}

    public static Path resolve(ToolContext ctx, String path) {
        return resolve(ctx.folders().project(), path);
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
        return path.startsWith(ctx.folders().project());
    }

    /** The pattern permission rules see: relative to the project with {@code /}, or absolute when outside. */
    public static String pattern(ToolContext ctx, Path path) {
        return pattern(ctx.folders().project(), path);
    }

    /** The pattern permission rules see for {@code path} in the project {@code projectDir}. */
    public static String pattern(Path projectDir, Path path) {
        if (!path.startsWith(projectDir)) {
            // a real path under a project folder reached through a link (macOS's /var is /private/var) is still inside
            Path realProject = real(projectDir);
            if (realProject.equals(projectDir) || !path.startsWith(realProject)) return path.toString();
            projectDir = realProject;
        }
        String rel = projectDir.relativize(path).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * Asks {@code external_directory} for a path whose real path ({@link #real}) is outside the project's real path;
     * a no-op inside.
     */
    public static void checkExternal(ToolContext ctx, Path path, boolean isDirectory) {
        Path realPath = real(path);
        Path folder = isDirectory ? realPath : realPath.getParent() == null ? realPath : realPath.getParent();
        externalCheck(real(ctx.folders().project()), realPath, folder).ifPresent(ctx.guards().permissions()::require);
    }

    /**
     * As {@link #checkExternal} for a file tool about to write {@code file} (write, edit, apply_patch): the check says
     * so ({@link PermissionCheck#WRITES}), so an answer given in advance never widens where files may be written.
     */
    public static void checkExternalWrite(ToolContext ctx, Path file) {
        Path realPath = real(file);
        Path folder = realPath.getParent() == null ? realPath : realPath.getParent();
        externalCheck(real(ctx.folders().project()), realPath, folder)
                .map(c -> new PermissionCheck(c.permission(), c.subject(), c.patterns(), c.always(), "Write outside the project: " + realPath,
                        Map.of(PermissionCheck.WRITES, realPath.toString())))
                .ifPresent(ctx.guards().permissions()::require);
    }

    /** Symbolic links followed at most this many times in one path, as the kernel's own bound ({@code ELOOP}). */
    private static final int MAX_LINKS = 40;

    /**
     * {@code path} with every symbolic link resolved, including links in folders that exist above a tail that does not
     * exist yet (the file {@code write} is about to create, under a linked folder) and a dangling link as the last
     * component (a write through it would create its target). The tail that does not exist is appended as written.
     */
    public static Path real(Path path) {
        Path current = path.toAbsolutePath().normalize();
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            Deque<Path> missing = new ArrayDeque<>();
            Path existing = current;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                missing.push(existing.getFileName());
                existing = existing.getParent();
            }
            if (existing == null) return current;
            Path resolved;
            try {
                resolved = existing.toRealPath();
            } catch (IOException e) {
                // a dangling link (or a loop): follow it by hand, its target may not exist yet
                if (!Files.isSymbolicLink(existing)) return current;
                try {
                    Path target = Files.readSymbolicLink(existing);
                    Path parent = existing.getParent();
                    Path next = (parent == null ? target : parent.resolve(target)).toAbsolutePath().normalize();
                    for (Path m : missing) next = next.resolve(m);
                    current = next.normalize();
                    continue;
                } catch (IOException unreadable) {
                    return current;
                }
            }
            for (Path m : missing) resolved = resolved.resolve(m);
            return resolved.normalize();
        }
        throw new ToolFailure("Too many levels of symbolic links: " + path);
    }

    /**
     * A path argument as a tool decides on it: {@code path} as given (normalised), {@code real} its real path,
     * {@code shown} the pattern of the name given and {@code realShown} the pattern of the real path. Checks ask with
     * {@link #patterns} (both names when they differ, so a rule on either decides); files are opened at {@code real}.
     */
    public record Target(Path path, Path real, String shown, String realShown) {
        /** The patterns a check on this path is decided with: the name given, then the real name when it differs. */
        public List<String> patterns() { return shown.equals(realShown) ? List.of(shown) : List.of(shown, realShown); }

        /** Whether the given name is a link (or under one): the ask then says where it really leads. */
        public boolean linked() { return !shown.equals(realShown); }

        /** A title for an ask, naming the real file when a link leads elsewhere. */
        public String title(String verb) { return verb + " " + shown + (linked() ? " (a link to " + realShown + ")" : ""); }
    }

    /** The {@link Target} of a path argument of a call. */
    public static Target target(ToolContext ctx, String path) {
        return target(ctx.folders().project(), resolve(ctx, path));
    }

    /** The {@link Target} of {@code path} (absolute, normalised) in the project {@code projectDir}. */
    public static Target target(Path projectDir, Path path) {
        Path realPath = real(path);
        Path realProject = real(projectDir);
        return new Target(path, realPath, pattern(projectDir, path), pattern(realProject, realPath));
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
