package dev.lathe.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a source tree names which other package of the same tree (imports and fully qualified names, with
 * comments and string literals stripped), and the cycles among them (strongly connected components of more than one
 * package, Tarjan's algorithm). A test helper: the core's packages must form no cycle.
 */
final class PackageGraph {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("\\b([a-z]\\w*(?:\\.[a-z]\\w*)+)\\.[A-Z]");

    private final Map<String, Set<String>> edges = new TreeMap<>();

    private PackageGraph() {}

    /** The graph of every package under {@code sourceRoot} (a {@code src/main/java} folder). */
    static PackageGraph of(Path sourceRoot) {
        Map<Path, String> packages = new HashMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = PACKAGE.matcher(text);
                if (m.find()) packages.put(file, m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var graph = new PackageGraph();
        Set<String> known = new TreeSet<>(packages.values());
        known.forEach(p -> graph.edges.put(p, new TreeSet<>()));
        packages.forEach((file, pkg) -> {
            String code;
            try {
                code = stripped(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = NAME.matcher(code);
            while (m.find()) {
                String named = m.group(1);
                if (!named.equals(pkg) && known.contains(named)) graph.edges.get(pkg).add(named);
            }
        });
        return graph;
    }

    Map<String, Set<String>> edges() { return edges; }

    /** Each cycle as its packages, sorted; empty when the graph is acyclic. */
    List<Set<String>> cycles() {
        var tarjan = new Tarjan();
        for (String p : edges.keySet()) if (!tarjan.index.containsKey(p)) tarjan.visit(p);
        return tarjan.cycles;
    }

    private final class Tarjan {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> cycles = new ArrayList<>();

        void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : edges.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) cycles.add(component);
            }
        }
    }

    /** Source text without comments, string and character literals (text blocks included). */
    static String stripped(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("'(?:\\\\.|[^'\\\\\\n])'", "' '");
    }
}
