package dev.lathe.core.claudeplugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hash of an installed plugin's files as they run (DESIGN §33): every file and link below its folder, by path
 * relative to it, with its kind, whether it is executable, and its bytes (a link's target, never followed). A changed,
 * added, removed or re-moded file changes it; {@code .git} (a clone's own bookkeeping, rewritten by git at will) is
 * not part of what runs and is left out. Written {@code sha256-HEX}.
 */
public final class TreeHash {
    private TreeHash() {}

    public static String of(Path root) {
        MessageDigest tree = sha256();
        for (var e : files(root).entrySet()) tree.update((e.getValue() + " " + e.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
        return "sha256-" + HexFormat.of().formatHex(tree.digest());
    }

    /** Each entry below {@code root} by its relative path ({@code /}-separated), sorted: its kind, mode and content hash. */
    public static java.util.SortedMap<String, String> files(Path root) {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.filter(p -> !p.equals(root)).filter(p -> !root.relativize(p).startsWith(".git")).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot read the files of " + root + ": " + e.getMessage(), e);
        }
        var out = new java.util.TreeMap<String, String>();
        for (Path p : entries) {
            String relative = root.relativize(p).toString().replace('\\', '/');
            if (Files.isSymbolicLink(p)) out.put(relative, "link " + target(p));
            else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) out.put(relative, "dir");
            else out.put(relative, (Files.isExecutable(p) ? "exec " : "file ") + contentHash(p));
        }
        return out;
    }

    /** The relative paths that differ between two trees: added, removed or changed, sorted. */
    public static List<String> differences(java.util.SortedMap<String, String> before, java.util.SortedMap<String, String> after) {
        var all = new java.util.TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        return all.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k))).toList();
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the link " + link + ": " + e.getMessage(), e);
        }
    }

    private static String contentHash(Path file) {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }
}
