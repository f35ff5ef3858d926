package dev.lathe.core.permission.bash;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a path into the one the kernel would reach: walked component by component, every existing prefix replaced by
 * its real path (so a symlink inside the project that points outside is seen as outside, and {@code link/..} goes to
 * the link target's parent like the kernel does); once a component does not exist the rest is appended lexically.
 */
public final class RealPaths {
    private RealPaths() {}

    public static Path resolve(Path path) {
        Path abs = path.toAbsolutePath();
        Path current = abs.getRoot();
        boolean exists = true;
        for (Path part : abs) {
            String c = part.toString();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                Path parent = current.getParent();
                current = parent != null ? parent : current;
                continue;
            }
            current = current.resolve(c);
            if (exists) {
                try {
                    current = current.toRealPath();
                } catch (IOException e) {
                    exists = false; // a dangling link or a missing file: the rest cannot be followed
                }
            }
        }
        return current.normalize();
    }

    /** Containment by path components, never by string prefix ({@code /proj-other} is not inside {@code /proj}). */
    public static boolean inside(Path path, Path root) {
        return path.normalize().startsWith(root.normalize());
    }

    /**
     * The paths an unquoted glob word would expand to, plus the pattern itself (so a glob that matches nothing is
     * still checked where it points). Capped: a glob matching thousands of files is checked on its first matches and
     * its pattern.
     */
    static List<Path> expand(Path pattern, int cap) {
        List<Path> out = new ArrayList<>();
        out.add(pattern);
        List<Path> current = List.of(pattern.getRoot());
        for (Path part : pattern) {
            String c = part.toString();
            List<Path> next = new ArrayList<>();
            if (!c.contains("*") && !c.contains("?") && !c.contains("[")) {
                for (Path p : current) next.add(p.resolve(c));
            } else {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + c.replace("\\", "\\\\").replace("{", "\\{"));
                for (Path p : current) {
                    if (!Files.isDirectory(p)) continue;
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                        for (Path e : ds) if (m.matches(e.getFileName()) && next.size() < cap) next.add(e);
                    } catch (IOException | RuntimeException ignored) {
                        // unreadable folder: the pattern itself is still checked
                    }
                }
            }
            current = next;
        }
        for (Path p : current) if (out.size() <= cap) out.add(p);
        return out;
    }
}
