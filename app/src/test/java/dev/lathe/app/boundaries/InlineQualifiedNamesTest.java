package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ratchet on inline fully qualified {@code dev.lathe.} names in main code (issue 54): a name written out in code
 * hides a dependency from the file's import block, where a reader and {@link ModuleBoundariesTest}'s reviewer look for
 * it. Each file may hold at most the count {@code inline-qualified-names.txt} gives it (none when it is not listed);
 * the names are read as {@link ImportBoundaries} reads them (comments and literals blanked by {@link JavaText}), and
 * {@code import} and {@code package} lines do not count.
 */
class InlineQualifiedNamesTest {
    private static final String TABLE = "inline-qualified-names.txt";

    @Test
    void noMainFileHoldsMoreInlineNamesThanItsCount() throws IOException {
        Path root = ModuleBoundariesTest.repositoryRoot();
        String table;
        try (InputStream in = InlineQualifiedNamesTest.class.getResourceAsStream(TABLE)) {
            assertThat(in).as(TABLE).isNotNull();
            table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> counts = counts(root, ModuleBoundariesTest.TEST_ONLY);
        // main code holds none since issue 71's sweep (the reading itself is checked on a fixture below)
        assertThat(overCount(counts, allowed(table)))
                .as("main files with more inline dev.lathe. names than app/src/test/resources/dev/lathe/app/boundaries/" + TABLE
                        + " allows: import the type instead of writing its package out in code")
                .isEmpty();
    }

    @Test
    void countsNamesInCodeOnlyAndFailsOnOneMore(@TempDir Path root) throws IOException {
        write(root, "m/src/main/java/dev/lathe/m/A.java", """
                package dev.lathe.m;

                import dev.lathe.n.B;

                /** {@link dev.lathe.n.C} in a comment is not code. */
                class A {
                    String s = "dev.lathe.n.C";
                    B b;
                    Object c = new dev.lathe.n.C();
                    dev.lathe.n.D d;
                }
                """);
        write(root, "t/src/main/java/dev/lathe/t/T.java", "package dev.lathe.t;\nclass T { dev.lathe.n.C c; }\n");
        Map<String, Integer> counts = counts(root, Set.of("t"));
        assertThat(counts).containsExactly(Map.entry("m/src/main/java/dev/lathe/m/A.java", 2));
        assertThat(overCount(counts, allowed("2 m/src/main/java/dev/lathe/m/A.java\n"))).isEmpty();
        assertThat(overCount(counts, allowed("# none allowed\n1 m/src/main/java/dev/lathe/m/A.java\n")))
                .containsExactly("m/src/main/java/dev/lathe/m/A.java: 2 inline names, 1 allowed");
        assertThat(overCount(counts, allowed(""))).containsExactly("m/src/main/java/dev/lathe/m/A.java: 2 inline names, 0 allowed");
    }

    /** Path (relative to the root, with {@code /}) → how many inline names its code holds; files with none left out. */
    static Map<String, Integer> counts(Path root, Set<String> exempt) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.filter(m -> !exempt.contains(m.getFileName().toString())).map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory).flatMap(InlineQualifiedNamesTest::javaFiles).toList();
        }
        for (Path file : sources) {
            int n = 0;
            for (String line : JavaText.codeOnly(Files.readString(file)).split("\n", -1)) {
                String code = line.strip();
                if (code.startsWith("import ") || code.startsWith("package ")) continue;
                Matcher m = ImportBoundaries.NAME.matcher(line);
                while (m.find()) n++;
            }
            if (n > 0) counts.put(root.relativize(file).toString().replace('\\', '/'), n);
        }
        return counts;
    }

    /** Table lines {@code COUNT PATH}; {@code #} starts a comment. */
    static Map<String, Integer> allowed(String table) {
        Map<String, Integer> allowed = new TreeMap<>();
        for (String line : table.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+", 2);
            allowed.put(parts[1], Integer.parseInt(parts[0]));
        }
        return allowed;
    }

    static List<String> overCount(Map<String, Integer> counts, Map<String, Integer> allowed) {
        List<String> over = new ArrayList<>();
        counts.forEach((file, n) -> {
            int max = allowed.getOrDefault(file, 0);
            if (n > max) over.add(file + ": " + n + " inline names, " + max + " allowed");
        });
        return over;
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
