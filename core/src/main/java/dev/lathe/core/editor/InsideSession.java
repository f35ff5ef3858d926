package dev.lathe.core.editor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a file lies in a session's directory once links are followed: only such files go to the editor, which opens
 * what it is asked to read or write. A file outside (a tool's {@code external_directory} allow, or a link in the project
 * pointing out of it) keeps going to the disk, so the editor never shows the user's other files.
 */
final class InsideSession {
    private InsideSession() {}

    /** Whether {@code file} (absolute) is {@code directory} or under it, both with their links resolved. */
    static boolean contains(String directory, String file) {
        try {
            Path dir = real(Path.of(directory));
            Path path = real(Path.of(file));
            return path.startsWith(dir);
        } catch (IOException | RuntimeException e) {
            return false;  // a path that cannot be resolved is not offered to the editor: the tool uses the disk
        }
    }

    /**
     * {@code path} with the links of its longest existing prefix resolved and the rest appended (a file about to be
     * written need not exist yet).
     */
    private static Path real(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return absolute;
        return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    }
}
