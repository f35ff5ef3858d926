package dev.lathe.app.boundaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * The import table of DESIGN §2 checked over a source tree: every main source file ({@code <module>/src/main/java/**.java})
 * of a checked module is read with comments and literals blanked ({@link JavaText}), every qualified name that starts
 * with {@code dev.lathe.} — an import, a static import, a fully qualified name in code — is attributed to the module
 * whose {@code src/main/java} holds that package (the longest package that prefixes the name; failing that, the module
 * whose packages start with the same {@code dev.lathe.<segment>}), and a name of a module the file's module may not
 * import is a violation.
 *
 * <p>Maven's edges alone do not enforce the table: a module's transitive dependencies are on its compile class path
 * too, so {@code app} could name {@code core} through {@code server}.
 */
final class ImportBoundaries {
    /** A qualified name of Lathe's, however it is spaced: {@code dev.lathe.} and its segments. */
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
            "(?<![\\w.$])dev\\s*\\.\\s*lathe(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)+");

    /** One forbidden name: where, which module named which. */
    record Violation(Path file, int line, String module, String named, String name) {
        @Override public String toString() {
            return file + ":" + line + ": " + module + " names " + name + " of module " + named;
        }
    }

    private final Path root;
    private final Map<String, Set<String>> mayImport;
    private final Set<String> exempt;

    /**
     * @param root the repository root (the folder holding the modules)
     * @param mayImport for each checked module, the other modules it may name
     * @param exempt modules not checked (test-only ones); a module neither here nor in {@code mayImport} is itself a violation
     */
    ImportBoundaries(Path root, Map<String, Set<String>> mayImport, Set<String> exempt) {
        this.root = root;
        this.mayImport = Map.copyOf(mayImport);
        this.exempt = Set.copyOf(exempt);
    }

    /** The modules of the tree: the folders under the root with a {@code src/main/java}. */
    List<String> modules() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Package name → the module whose main sources hold it, read from the tree itself. */
    Map<String, String> packages() {
        Map<String, String> owner = new HashMap<>();
        for (String module : modules()) {
            Path sources = root.resolve(module).resolve("src/main/java");
            for (Path file : javaFiles(sources)) {
                Path dir = sources.relativize(file).getParent();
                if (dir != null) owner.put(dir.toString().replace(java.io.File.separatorChar, '.'), module);
            }
        }
        return owner;
    }

    /** Every violation, sorted by file and line; modules missing from the table are reported as violations too. */
    List<Violation> violations() {
        Map<String, String> owner = packages();
        Map<String, String> byTopSegment = topSegments(owner);
        List<Violation> found = new ArrayList<>();
        for (String module : modules()) {
            if (exempt.contains(module)) continue;
            Path sources = root.resolve(module).resolve("src/main/java");
            Set<String> allowed = mayImport.get(module);
            if (allowed == null) {
                found.add(new Violation(root.resolve(module), 0, module, "?", "(module not in the import table of DESIGN §2)"));
                continue;
            }
            for (Path file : javaFiles(sources)) {
                String code = JavaText.codeOnly(read(file));
                Matcher m = NAME.matcher(code);
                while (m.find()) {
                    String name = m.group().replaceAll("\\s+", "");
                    Optional<String> named = moduleOf(name, owner, byTopSegment);
                    if (named.isEmpty() || named.get().equals(module) || allowed.contains(named.get())) continue;
                    found.add(new Violation(root.relativize(file), lineOf(code, m.start()), module, named.get(), name));
                }
            }
        }
        found.sort(Comparator.comparing((Violation v) -> v.file().toString()).thenComparingInt(Violation::line));
        return found;
    }

    private static Optional<String> moduleOf(String name, Map<String, String> owner, Map<String, String> byTopSegment) {
        for (String prefix = name; prefix.contains("."); prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
            String module = owner.get(prefix);
            if (module != null) return Optional.of(module);
        }
        String[] parts = name.split("\\.");
        return parts.length < 3 ? Optional.empty() : Optional.ofNullable(byTopSegment.get(parts[2]));
    }

    /** {@code dev.lathe.<segment>} → module, for segments all of whose packages live in one module. */
    private static Map<String, String> topSegments(Map<String, String> owner) {
        Map<String, String> bySegment = new TreeMap<>();
        Set<String> shared = new java.util.HashSet<>();
        owner.forEach((pkg, module) -> {
            String[] parts = pkg.split("\\.");
            if (parts.length < 3 || !parts[0].equals("dev") || !parts[1].equals("lathe")) return;
            String previous = bySegment.putIfAbsent(parts[2], module);
            if (previous != null && !previous.equals(module)) shared.add(parts[2]);
        });
        shared.forEach(bySegment::remove);
        return bySegment;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    private static List<Path> javaFiles(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
