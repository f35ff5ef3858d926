package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each core package names only the core packages its line of {@code package-uses.txt} declares, and declares only those
 * it names (issue 54): a newcomer reads a package's place from one table, and a new dependency is a visible change to
 * it rather than an import slipped into a file. The uses are {@link PackageGraph}'s (imports and fully qualified names
 * in code, comments and literals blanked), the same reading as {@link PackageCyclesTest}.
 */
class PackageUsesTest {
    private static final String BASE = "dev.lathe.core";
    private static final String TABLE = "package-uses.txt";

    @Test
    void everyCorePackageUsesExactlyWhatItDeclares() throws IOException {
        String table;
        try (InputStream in = PackageUsesTest.class.getResourceAsStream(TABLE)) {
            assertThat(in).as("core/src/test/resources/dev/lathe/core/" + TABLE).isNotNull();
            table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var actual = PackageGraph.of(Path.of("src/main/java")).edges();
        assertThat(actual).containsKeys("dev.lathe.core.session", "dev.lathe.core.store");
        assertThat(drift(actual, declared(table)))
                .as("core packages whose uses drifted from core/src/test/resources/dev/lathe/core/" + TABLE
                        + " (add a new use there in the same commit, or import what is declared; remove a use no longer there)")
                .isEmpty();
    }

    @Test
    void failsOnAnUndeclaredUseAnInlineNameAStaleDeclarationAndAMissingPackage(@TempDir Path root) throws IOException {
        write(root, "a/A.java", "package dev.lathe.core.a;\nimport dev.lathe.core.b.B;\nclass A { B b; }\n");
        write(root, "b/B.java", "package dev.lathe.core.b;\nclass B { Object c = new dev.lathe.core.c.C(); }\n");
        write(root, "c/C.java", "package dev.lathe.core.c;\n// dev.lathe.core.a.A in a comment is no use\nclass C {}\n");
        write(root, "d/D.java", "package dev.lathe.core.d;\nclass D {}\n");
        var actual = PackageGraph.of(root).edges();
        assertThat(drift(actual, declared("a:\nb:\nc: a\nd:\n"))).containsExactly(
                "a names b, which its line does not declare",
                "b names c, which its line does not declare",
                "c declares a, which it no longer names");
        assertThat(drift(actual, declared("a: b\nb: c\nc:\ngone: a\n"))).containsExactly(
                "d: no line for this package (it names: )",
                "gone: no such package");
        assertThat(drift(actual, declared("a: b\nb: c\nc:\nd:\n"))).isEmpty();
    }

    /** Table lines {@code name: use use ...} (names relative to {@link #BASE}; {@code core} is the base itself). */
    static Map<String, Set<String>> declared(String table) {
        Map<String, Set<String>> declared = new TreeMap<>();
        for (String line : table.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            assertThat(colon).as("a line of " + TABLE + " without 'package:': " + line).isPositive();
            String uses = line.substring(colon + 1).strip();
            declared.put(line.substring(0, colon).strip(), uses.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(uses.split("\\s+"))));
        }
        return declared;
    }

    /** What differs between the packages' uses and the table, one line each, in package order. */
    static List<String> drift(Map<String, Set<String>> edges, Map<String, Set<String>> declared) {
        Map<String, Set<String>> actual = new TreeMap<>();
        edges.forEach((pkg, uses) -> actual.put(relative(pkg), uses.stream().map(PackageUsesTest::relative).collect(Collectors.toCollection(TreeSet::new))));
        List<String> drift = new ArrayList<>();
        actual.forEach((pkg, uses) -> {
            Set<String> allowed = declared.get(pkg);
            if (allowed == null) {
                drift.add(pkg + ": no line for this package (it names: " + String.join(" ", uses) + ")");
                return;
            }
            uses.stream().filter(u -> !allowed.contains(u)).forEach(u -> drift.add(pkg + " names " + u + ", which its line does not declare"));
            allowed.stream().filter(u -> !uses.contains(u)).forEach(u -> drift.add(pkg + " declares " + u + ", which it no longer names"));
        });
        declared.keySet().stream().filter(p -> !actual.containsKey(p)).forEach(p -> drift.add(p + ": no such package"));
        drift.sort(null);
        return drift;
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
