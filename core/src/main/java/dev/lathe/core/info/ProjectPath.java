package dev.lathe.core.info;

import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A path a client named inside a project folder, checked to stay there: relative only (400 otherwise), no way out
 * through {@code ..} (403) nor through a symbolic link whose target is outside (403). {@code relative} is the
 * normalised form with {@code /}, empty for the folder itself.
 */
record ProjectPath(Path root, Path path, String relative) {
    /**
     * @param root the project folder, absolute and real (symbolic links resolved)
     * @throws LatheException.InvalidInput for an absolute or malformed path, {@link LatheException.Forbidden} for one that leads outside {@code root}
     */
    static ProjectPath of(Path root, String raw) {
        if (raw.indexOf('\0') >= 0) throw new LatheException.InvalidInput("the path contains a NUL character");
        String text = raw.replace('\\', '/');
        Path resolved;
        try {
            // "~/x" is a shell's idea of home, not a file here; "~x" is an ordinary name
            if (text.startsWith("/") || text.equals("~") || text.startsWith("~/") || root.getFileSystem().getPath(text).isAbsolute()) {
                throw new LatheException.InvalidInput("the path must be relative to the project folder: " + raw);
            }
            resolved = root.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new LatheException.InvalidInput("not a valid path: " + raw);
        }
        if (!resolved.startsWith(root)) throw outside();
        if (!realPathOfExistingPart(resolved).startsWith(root)) throw outside();
        return new ProjectPath(root, resolved, root.relativize(resolved).toString().replace('\\', '/'));
    }

    static LatheException outside() { return new LatheException.Forbidden("the path leads outside the project folder"); }

    boolean exists() { return Files.exists(path); }

    /** {@code name} under this folder, as a project path (entries of a listed folder). */
    String child(String name) { return relative.isEmpty() ? name : relative + "/" + name; }

    /**
     * Where the path really is: the real path of its deepest existing part plus the missing rest, so a link that
     * leaves the project is caught even when the file under it does not exist.
     */
    private static Path realPathOfExistingPart(Path path) {
        Path missing = path.getFileSystem().getPath("");
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return p.toRealPath().resolve(missing).normalize();
                } catch (IOException e) {
                    throw new LatheException.NotFound("no such file (a link to nothing): " + path.getFileName());
                }
            }
            missing = p.getFileName().resolve(missing);
        }
        return path;
    }
}
