package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Hard links to a file a {@code read} rule denies: a second name for the same file ({@code ln .env notes.txt}, made
 * before the session) is the same content, so it is refused like the denied name. Rules match names, so the check is
 * by identity: a file with more than one link has its other names inside the project looked up (same device and
 * inode, Java's {@code fileKey}), and if a rule denies reading any of them, reading this one fails too. Files with a
 * single link — nearly all — cost one {@code stat}; the walk happens only for the rare multi-link file. The look-up is
 * {@link FileGateway}'s, the same every project file Lathe reads itself passes.
 */
final class HardLinks {
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

    /** The other names of {@code file} below {@code root}, when it has more than one link: the gateway's one identity index. */
    static List<Path> otherNames(Path root, Path file) {
        return FileGateway.of(root, FileGateway.ReadRules.NONE).otherNames(file);
    }
}
