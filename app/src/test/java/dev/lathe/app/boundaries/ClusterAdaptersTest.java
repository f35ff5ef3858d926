package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One core for both modes (issue 54): team mode is the cluster port ({@code core.cluster.Cluster}) with two adapters,
 * one process ({@code LocalCluster}) and PostgreSQL ({@code PgCluster}), and no other code knows which runs. So main
 * code outside the PostgreSQL adapter's package names none of its classes (only the store choice opens it), and no
 * code compares the store kind ({@code "postgresql"}) to decide what to do; a place that only reports the kind (the
 * {@code /health} field, {@code lathe doctor}) reads it from the store setting and is listed below with why. The
 * adapter's probes, which read a store without running it ({@code lathe doctor}, {@code lathe db}), are not the
 * adapter. Read from the sources as the module table is; a name in a comment does not count.
 */
class ClusterAdaptersTest {
    static final String ADAPTER = "core/src/main/java/dev/lathe/core/store/postgresql";

    /** The adapter's classes that read a configured store without running a node: tools of the doctor and of lathe db. */
    static final Set<String> PROBES = Set.of("PostgresProbe", "PgNodeState", "PostgresUrl");

    /** The one place outside the adapter that opens it. */
    static final String STORE_CHOICE = "core/src/main/java/dev/lathe/core/StoreChoice.java";

    /** Where the store kind's literal may stand: it is defined there, or only reported. Each names why. */
    static final Map<String, String> KIND_REPORTED = Map.of(
            "core/src/main/java/dev/lathe/core/store/StoreSetting.java", "defines the kind from the store URL (what /health reports)",
            "server/src/main/java/dev/lathe/server/local/ServerFileCheck.java", "lathe doctor names the store a running server reports",
            "server/src/main/java/dev/lathe/server/local/DatabaseFileCheck.java", "lathe doctor, without a core: is the SQLite file the store at all");

    /** The kind's literal in code, however compared. */
    static final String KIND_LITERAL = "\"postgresql\"";

    record Violation(String file, int line, String what) {
        @Override
        public String toString() { return file + ":" + line + " " + what; }
    }

    /** The classes declared in the adapter's package that are the adapter (its probes aside). */
    static Set<String> adapterClasses(Path root) {
        try (Stream<Path> files = Files.list(root.resolve(ADAPTER))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).filter(n -> !PROBES.contains(n))
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Violation> violations(Path root) {
        Set<String> adapter = adapterClasses(root);
        Pattern named = Pattern.compile("\\b(" + String.join("|", adapter) + ")\\b");
        List<Violation> out = new ArrayList<>();
        for (Path source : mainSources(root)) {
            String rel = root.relativize(source).toString().replace('\\', '/');
            if (rel.startsWith(ADAPTER + "/")) continue;
            String text;
            try {
                text = Files.readString(source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String code = JavaText.codeOnly(text);
            if (!rel.equals(STORE_CHOICE)) {
                Matcher m = named.matcher(code);
                while (m.find()) out.add(new Violation(rel, line(code, m.start()), "names the PostgreSQL adapter's " + m.group()));
            }
            if (!KIND_REPORTED.containsKey(rel)) {
                for (int at : kindLiterals(text)) out.add(new Violation(rel, line(text, at), "compares the store kind \"postgresql\""));
            }
        }
        return out;
    }

    /** Where the string literal {@code "postgresql"} stands in code (not in a comment), by offset. */
    static List<Integer> kindLiterals(String source) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != quote && source.charAt(j) != '\n') j += source.charAt(j) == '\\' ? 2 : 1;
                if (quote == '"' && source.substring(i, Math.min(j + 1, source.length())).equals(KIND_LITERAL)) out.add(i);
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int line(String text, int at) {
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Every main source of a shipped module. */
    private static List<Path> mainSources(Path root) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.sorted().toList()) {
                if (ModuleBoundariesTest.TEST_ONLY.contains(m.getFileName().toString())) continue;
                WiringTest.javaFiles(m.resolve("src/main/java")).sorted().forEach(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void noCodeOutsideTheAdaptersKnowsWhichStoreRuns() {
        assertThat(violations(ModuleBoundariesTest.repositoryRoot()))
                .as("team mode branches outside the cluster port's adapters: ask the port (dev.lathe.core.cluster.Cluster) instead; "
                        + "a place that only reports the store kind reads it from StoreSetting and is listed in KIND_REPORTED with why")
                .isEmpty();
    }

    @Test
    void theListsNameFilesThatExist() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(adapterClasses(root)).contains("PostgresStorage", "PgCluster", "PgSessionLeases", "PgEventLog");
        assertThat(root.resolve(STORE_CHOICE)).isRegularFile();
        KIND_REPORTED.keySet().forEach(f -> assertThat(root.resolve(f)).isRegularFile());
        PROBES.forEach(p -> assertThat(root.resolve(ADAPTER + "/" + p + ".java")).isRegularFile());
    }

    @Test
    void findsADowncastAndAKindComparisonButNotInCommentsOrProbes(@TempDir Path root) throws IOException {
        Path adapter = Files.createDirectories(root.resolve(ADAPTER));
        Files.writeString(adapter.resolve("PostgresStorage.java"), "class PostgresStorage {}");
        Files.writeString(adapter.resolve("PostgresProbe.java"), "class PostgresProbe {}");
        Path server = Files.createDirectories(root.resolve("server/src/main/java/x"));
        Files.writeString(server.resolve("Branchy.java"), """
                package x;
                class Branchy {
                    // PostgresStorage in a comment is fine, and so is "postgresql"
                    /** {@code "postgresql"} in Javadoc too */
                    void a(Object s, String kind) {
                        var events = ((dev.lathe.core.store.postgresql.PostgresStorage) s).cluster();
                        boolean team = kind.equals("postgresql");
                        var probe = dev.lathe.core.store.postgresql.PostgresProbe.of("");
                    }
                }
                """);
        Files.createDirectories(root.resolve("testkit/src/main/java/x"));
        Files.writeString(root.resolve("testkit/src/main/java/x/Free.java"), "class Free { PostgresStorage s; String k = \"postgresql\"; }");

        assertThat(violations(root)).extracting(Violation::line).containsExactly(6, 7);
    }
}
