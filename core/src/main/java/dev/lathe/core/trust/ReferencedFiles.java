package dev.lathe.core.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a definition runs besides its own text (a hook's {@code ./scripts/hook.sh}, an MCP server's
 * {@code server.js}, a Claude Code plugin's folder), pinned by content: what runs is the file as much as the entry, so
 * a script changed after trust must make its entry {@linkplain TrustItem#hash changed} too. Found the way the shell
 * will find them (DESIGN §24): every word of the entry's text that names a file in the project, relative to its root,
 * absolute inside it, after a {@code $PROJECT_DIR}-style variable, or relative to a folder the line changes into
 * ({@code cd scripts && ./h.sh}, {@code pushd}); the name is the project's, the bytes are the target's wherever a link
 * leads ({@code scripts} a link to a folder outside). A word that names no file adds nothing, so a file created later
 * under a name the entry already used changes it too. A plugin's folder, wherever config points, is pinned whole.
 *
 * Files those run by themselves (a sourced library, {@code python -m}'s module, a makefile, {@code package.json}'s
 * scripts) are found by {@link LoadedFiles}.
 *
 * <p>Trust time ({@link TrustGate}) and run time ({@link RunPin}) both ask {@link #digests}: one resolution, one hash.
 */
final class ReferencedFiles {
    /** Where the file digests begin in an item's text ({@link TrustItem#line} shows them after the entry). */
    static final String MARK = "\nfiles: ";
    private static final Pattern WORD = Pattern.compile("[^\\s\\\\\"'`,;=\\[\\]{}()<>|&]+");
    private static final Set<String> CHANGES_FOLDER = Set.of("cd", "pushd");
    private static final int MAX_FILES = 32;

    private ReferencedFiles() {}

    /** {@code item}'s text followed by the digests of the files it runs under {@code root}; its text when none. */
    static String pin(Path root, TrustItem item) {
        Map<String, String> digests = digests(root, item);
        if (digests.isEmpty()) return item.text();
        StringBuilder out = new StringBuilder(item.text()).append(MARK);
        digests.forEach((rel, hash) -> out.append(rel).append(hash.equals(LoadedFiles.NOT_PINNED) ? " (not pinned)" : " sha256:" + hash).append(' '));
        return out.toString().stripTrailing();
    }

    /** The files {@code item} runs, by the name the project gives them, each with the digest of its content now. */
    static Map<String, String> digests(Path root, TrustItem item) {
        TreeMap<String, String> out = new TreeMap<>();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return out;
        }
        if (item.kind() == Withheld.Kind.PLUGINS) {
            pluginFolder(realRoot, item).ifPresent(folder -> FileDigest.ofFolder(folder)
                    .ifPresent(hash -> out.put("plugin folder " + shown(realRoot, folder), hash)));
            return out;
        }
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(item.text());
        while (m.find() && words.size() < 4096) words.add(m.group());
        // the folders the line changes into: a later word may be relative to any of them
        Set<Path> bases = new LinkedHashSet<>(List.of(realRoot));
        for (int i = 0; i + 1 < words.size(); i++) {
            if (!CHANGES_FOLDER.contains(words.get(i))) continue;
            for (Path folder : candidates(realRoot, List.of(realRoot), words.get(i + 1))) if (Files.isDirectory(folder)) bases.add(folder);
        }
        List<Path> named = new ArrayList<>();
        for (String word : words) {
            if (out.size() >= MAX_FILES) break;
            for (Path candidate : candidates(realRoot, bases, word)) {
                if (candidate.startsWith(realRoot.resolve(".git"))) continue;
                // the bytes are the target's, wherever a link (the file, or a folder above it) leads; named by the target
                // when it is in the project (a .bin link pins the script it runs), else by the project's name for it
                FileDigest.of(candidate).ifPresent(hash -> {
                    out.putIfAbsent(named(realRoot, candidate), hash);
                    named.add(candidate);
                });
            }
        }
        // and what those run by themselves: the files a script sources, python -m's module, make's makefile, npm's scripts
        LoadedFiles.digests(realRoot, bases, words, named).forEach((name, hash) -> {
            if (out.size() < 2 * MAX_FILES) out.putIfAbsent(name, hash);
        });
        return out;
    }

    /** Where a plugin entry (as written in {@code item.source()}, relative to that file's folder) points. */
    private static java.util.Optional<Path> pluginFolder(Path root, TrustItem item) {
        String entry = item.text();
        try {
            if (entry.startsWith("~/")) return java.util.Optional.of(Path.of(System.getProperty("user.home"), entry.substring(2)).normalize());
            Path p = Path.of(entry);
            if (p.isAbsolute()) return java.util.Optional.of(p.normalize());
            Path file = root.resolve(item.source()).normalize();
            Path dir = file.getParent() == null ? root : file.getParent();
            return java.util.Optional.of(dir.resolve(p).normalize());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    static String named(Path root, Path candidate) {
        try {
            Path real = candidate.toRealPath();
            if (real.startsWith(root) && !real.startsWith(root.resolve(".git"))) return root.relativize(real).toString();
        } catch (IOException | RuntimeException e) {
            // gone meanwhile: its own name
        }
        return root.relativize(candidate).toString();
    }

    private static String shown(Path root, Path p) {
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    /** The paths inside {@code root} (lexically: the name the project gives) {@code word} may name from {@code bases}. */
    private static Set<Path> candidates(Path root, Set<Path> bases, String word) {
        return candidates(root, List.copyOf(bases), word);
    }

    private static Set<Path> candidates(Path root, List<Path> bases, String word) {
        Set<Path> out = new LinkedHashSet<>();
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
                for (Path base : bases) out.add(base.resolve(p).normalize());
            }
        } catch (RuntimeException e) {
            // not a path
        }
        out.removeIf(p -> !p.startsWith(root) || p.equals(root));
        return out;
    }
}
