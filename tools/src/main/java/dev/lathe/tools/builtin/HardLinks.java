package dev.lathe.tools.builtin;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hard links to a file a {@code read} rule denies: a second name for the same file ({@code ln .env notes.txt}, made
 * before the session) is the same content, so it is refused like the denied name. Rules match names, so the check is
 * by identity: a file with more than one link has its other names inside the project looked up (same device and
 * inode, Java's {@code fileKey}), and if a rule denies reading any of them, reading this one fails too. Files with a
 * single link — nearly all — cost one {@code stat}; the walk happens only for the rare multi-link file.
 */
final class HardLinks {
    /** How many project entries the look-up visits before it stops (a huge tree must not stall a read). */
    static final int MAX_WALK = 200_000;

    private HardLinks() {}

    /** Fails when {@code file} (real, regular) is a hard link to a project file the session's rules deny to read. */
    static void refuseDeniedAlias(ToolContext ctx, Path file, String shown) {
        Path root = ProjectPaths.real(ctx.folders().project());
        for (Path other : otherNames(root, file)) {
            ProjectPaths.Target t = ProjectPaths.target(root, other);
            var check = new PermissionCheck("read", PermissionSource.Pattern.PATH, t.patterns(), t.patterns(), "Read " + t.shown(), Map.of());
            if (ctx.guards().permissions().denies(check)) {
                throw new ToolFailure(shown + " is another name (a hard link) for " + t.shown()
                        + ", which a read rule denies; it is refused under this name too.");
            }
        }
    }

    /** The other names of {@code file} below {@code root}, when it has more than one link; empty otherwise or when unknown. */
    static List<Path> otherNames(Path root, Path file) {
        Object key;
        int links;
        try {
            links = ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
            key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return List.of();
        }
        if (links < 2 || key == null) return List.of();
        List<Path> out = new ArrayList<>();
        int[] seen = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return ++seen[0] > MAX_WALK ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (++seen[0] > MAX_WALK) return FileVisitResult.TERMINATE;
                    if (attrs.isRegularFile() && Objects.equals(attrs.fileKey(), key) && !f.equals(file)) out.add(f);
                    // every other name found: no need to look further
                    return out.size() >= links - 1 ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // an unreadable project: the names found so far
        }
        return out;
    }
}
