package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's layering (decision 525): a room is a package right below {@code dev.lathe.core} with the packages nested
 * in it, and the rooms are read bottom-up like the packages ({@link PackageCyclesTest}): no package imports one nested
 * in a room that sits above its own, so a package nested in a room is imported only from that room or from above it.
 * And no package of core holds more than {@value #MAX_FILES} files, so each says in its name what it holds.
 */
class PackageLayersTest {
    static final int MAX_FILES = 40;
    private static final String BASE = "dev.lathe.core";

    @Test
    void noPackageImportsOneNestedInARoomAboveIt() {
        var edges = PackageGraph.of(Path.of("src/main/java")).edges();
        assertThat(edges).containsKeys("dev.lathe.core.session", "dev.lathe.core.session.turn");
        assertThat(upwardImports(edges)).as("imports that close a cycle among core's rooms (a package nested in a room imported from below it)").isEmpty();
    }

    @Test
    void noCorePackageHoldsMoreThanTheLimit() {
        assertThat(oversized(Path.of("src/main/java/dev/lathe/core"), MAX_FILES)).as("core packages over " + MAX_FILES + " files: split each into rooms").isEmpty();
    }

    @Test
    void findsAnUpwardImportThroughANestedPackage(@TempDir Path root) throws IOException {
        write(root, "top/Top.java", "package dev.lathe.core.top;\nimport dev.lathe.core.low.Low;\nclass Top { Low low; }\n");
        write(root, "top/nested/Nested.java", "package dev.lathe.core.top.nested;\nclass Nested {}\n");
        write(root, "low/Low.java", "package dev.lathe.core.low;\nclass Low { Object n = new dev.lathe.core.top.nested.Nested(); }\n");
        write(root, "side/Side.java", "package dev.lathe.core.side;\nimport dev.lathe.core.top.nested.Nested;\nclass Side { Nested n; }\n");
        var edges = PackageGraph.of(root).edges();
        assertThat(PackageGraph.of(root).cycles()).as("no cycle among the packages themselves").isEmpty();
        assertThat(upwardImports(edges)).containsExactlyInAnyOrder(
                "low imports top.nested, but room top uses room low (top -> low)",
                "top imports low, but room low uses room top (low -> top)");
    }

    @Test
    void findsAPackageOverTheLimit(@TempDir Path root) throws IOException {
        for (int i = 0; i <= MAX_FILES; i++) write(root, "big/C" + i + ".java", "package dev.lathe.core.big;\n");
        for (int i = 0; i < MAX_FILES; i++) write(root, "fits/C" + i + ".java", "package dev.lathe.core.fits;\n");
        assertThat(oversized(root, MAX_FILES)).containsExactly("big (41 files)");
    }

    /**
     * Each import into another room that uses, directly or not, the importing package's room: the rooms' cycles, which
     * the packages' own graph does not show when a package nested in a room is imported from below it.
     */
    static List<String> upwardImports(Map<String, Set<String>> edges) {
        Map<String, Set<String>> rooms = new TreeMap<>();
        edges.forEach((pkg, uses) -> uses.forEach(u -> {
            if (!room(u).equals(room(pkg))) rooms.computeIfAbsent(room(pkg), k -> new TreeSet<>()).add(room(u));
        }));
        List<String> upward = new ArrayList<>();
        edges.forEach((pkg, uses) -> uses.forEach(u -> {
            if (room(u).equals(room(pkg))) return;
            List<String> path = path(rooms, room(u), room(pkg));
            if (!path.isEmpty()) upward.add(relative(pkg) + " imports " + relative(u) + ", but room " + room(u) + " uses room " + room(pkg) + " (" + String.join(" -> ", path) + ")");
        }));
        return upward;
    }

    /** The packages under {@code dir} (a {@code dev/lathe/core} folder) with more than {@code max} files, relative. */
    static List<String> oversized(Path dir, int max) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> over = new ArrayList<>();
            for (Path d : walk.filter(Files::isDirectory).sorted().toList()) {
                long files;
                try (Stream<Path> list = Files.list(d)) {
                    files = list.filter(Files::isRegularFile).count();
                }
                if (files > max) over.add((d.equals(dir) ? "core" : dir.relativize(d).toString().replace('/', '.')) + " (" + files + " files)");
            }
            return over;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rooms from {@code from} to {@code to} along the room graph, or empty when {@code to} is not below it. */
    private static List<String> path(Map<String, Set<String>> rooms, String from, String to) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : rooms.getOrDefault(at, Set.of())) {
                if (cameFrom.containsKey(next) || next.equals(from)) continue;
                cameFrom.put(next, at);
                if (next.equals(to)) {
                    List<String> path = new ArrayList<>(List.of(to));
                    for (String p = to; !p.equals(from); p = cameFrom.get(p)) path.addFirst(cameFrom.get(p));
                    return path;
                }
                queue.addLast(next);
            }
        }
        return List.of();
    }

    private static String room(String pkg) {
        String rel = relative(pkg);
        int dot = rel.indexOf('.');
        return dot < 0 ? rel : rel.substring(0, dot);
    }

    private static String relative(String pkg) {
        return pkg.equals(BASE) ? "core" : pkg.startsWith(BASE + ".") ? pkg.substring(BASE.length() + 1) : pkg;
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
