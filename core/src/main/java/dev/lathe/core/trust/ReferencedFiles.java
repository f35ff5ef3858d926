package dev.lathe.core.trust;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project files a definition names (a hook's {@code ./scripts/hook.sh}, an MCP server's {@code server.js}), pinned
 * by content: what runs is the file as much as the entry, so a script changed after trust must make its entry
 * {@linkplain TrustItem#hash changed} too. Every word of the entry's text that names a regular file inside the project
 * (relative to its root, absolute inside it, or after a {@code $PROJECT_DIR}-style variable) adds its SHA-256.
 * A word that names no file adds nothing, so a file created later under a name the entry already used changes it too.
 */
final class ReferencedFiles {
    /** Where the file digests begin in an item's text ({@link TrustItem#line} shows them after the entry). */
    static final String MARK = "\nfiles: ";
    private static final Pattern WORD = Pattern.compile("[^\\s\\\\\"'`,;=\\[\\]{}()<>|&]+");
    private static final int MAX_FILES = 32;

    private ReferencedFiles() {}

    /** {@code text} followed by the digests of the project files it names under {@code root}; {@code text} when none. */
    static String pin(Path root, String text) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return text;
        }
        TreeMap<String, String> digests = new TreeMap<>();
        Matcher m = WORD.matcher(text);
        while (m.find() && digests.size() < MAX_FILES) {
            for (Path candidate : candidates(realRoot, m.group())) {
                try {
                    if (!Files.isRegularFile(candidate)) continue;
                    Path real = candidate.toRealPath();
                    if (!real.startsWith(realRoot) || real.startsWith(realRoot.resolve(".git"))) continue;
                    digests.putIfAbsent(realRoot.relativize(real).toString(), sha256(real));
                } catch (IOException | RuntimeException e) {
                    // unreadable or gone: nothing of it can run either
                }
            }
        }
        if (digests.isEmpty()) return text;
        StringBuilder out = new StringBuilder(text).append(MARK);
        digests.forEach((rel, hash) -> out.append(rel).append(" sha256:").append(hash).append(' '));
        return out.toString().stripTrailing();
    }

    private static Set<Path> candidates(Path root, String word) {
        Set<Path> out = new TreeSet<>();
        String w = word;
        // $CLAUDE_PROJECT_DIR/scripts/x.sh, ${LATHE_PROJECT_DIR}/x: the rest is relative to the project
        if (w.startsWith("$")) {
            int slash = w.indexOf('/');
            if (slash < 0) return out;
            w = w.substring(slash + 1);
        }
        if (w.isEmpty() || w.length() > 4096 || w.indexOf('\0') >= 0) return out;
        try {
            Path p = Path.of(w);
            if (p.isAbsolute()) {
                out.add(p.normalize());
                out.add(root.resolve(w.substring(1)).normalize());
            } else {
                out.add(root.resolve(p).normalize());
            }
        } catch (RuntimeException e) {
            // not a path
        }
        out.removeIf(p -> !p.startsWith(root) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        return out;
    }

    private static String sha256(Path file) throws IOException {
        // through the gateway's no-follow handle on the real path (a FIFO or a device is refused, not waited on)
        return FileGateway.anywhere().sha256(file);
    }
}
