package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker itself, on small planted trees: it must find what is forbidden however it is written, and only that. */
class ImportBoundariesTest {
    @TempDir Path root;

    private void source(String module, String pkg, String className, String body) throws IOException {
        Path dir = Files.createDirectories(root.resolve(module).resolve("src/main/java").resolve(pkg.replace('.', '/')));
        Files.writeString(dir.resolve(className + ".java"), "package " + pkg + ";\n\n" + body);
    }

    private List<ImportBoundaries.Violation> violations() {
        return new ImportBoundaries(root, ModuleBoundariesTest.MAY_IMPORT, ModuleBoundariesTest.TEST_ONLY).violations();
    }

    private void baseTree() throws IOException {
        source("protocol", "dev.lathe.protocol.api", "LatheApi", "public interface LatheApi {}\n");
        source("client", "dev.lathe.client", "HttpLatheClient", "public class HttpLatheClient {}\n");
        source("core", "dev.lathe.core.x", "Y", "public class Y { public static void go() {} }\n");
        source("core", "dev.lathe.core.store", "Db", "public class Db {}\n");
    }

    @Test
    void aFullyQualifiedNameInCodeIsReportedWithFileLineAndModule() throws IOException {
        baseTree();
        source("tui", "dev.lathe.tui", "View", """
                import dev.lathe.protocol.api.LatheApi;

                class View {
                    void show() {
                        dev.lathe.core.x.Y.go();
                    }
                }
                """);

        var found = violations();

        assertThat(found).hasSize(1);
        assertThat(found.getFirst().file()).isEqualTo(Path.of("tui/src/main/java/dev/lathe/tui/View.java"));
        assertThat(found.getFirst().line()).isEqualTo(7);
        assertThat(found.getFirst().module()).isEqualTo("tui");
        assertThat(found.getFirst().named()).isEqualTo("core");
        assertThat(found.getFirst().toString()).contains("View.java:7", "tui names dev.lathe.core.x.Y.go of module core");
    }

    @Test
    void importsStaticImportsWildcardsAndUnknownSubpackagesAreAllReported() throws IOException {
        baseTree();
        source("tui", "dev.lathe.tui", "A", """
                import dev.lathe.core.store.Db;
                import static dev.lathe.core.x.Y.go;
                import dev.lathe.core.*;

                class A { Object o = new dev.lathe.core.nowhere.Z(); }
                """);

        assertThat(violations()).extracting(ImportBoundaries.Violation::line).containsExactly(3, 4, 5, 7);
        assertThat(violations()).extracting(ImportBoundaries.Violation::named).containsOnly("core");
    }

    @Test
    void namesInCommentsAndStringsAreNotDependencies() throws IOException {
        baseTree();
        source("tui", "dev.lathe.tui", "B", """
                /** Unlike {@link dev.lathe.core.store.Db}, this ... */
                class B {
                    // dev.lathe.core.x.Y would be wrong here
                    String s = "dev.lathe.core.x.Y";
                    char c = '"';
                    String t = \"""
                        dev.lathe.core.store.Db
                        \""";
                    /* dev.lathe.core.x */ dev.lathe.client.HttpLatheClient client;
                }
                """);

        assertThat(violations()).isEmpty();
    }

    @Test
    void theTableDecidesAndTestOnlyModulesAreExempt() throws IOException {
        baseTree();
        source("app", "dev.lathe.app", "Main", "class Main { dev.lathe.client.HttpLatheClient c; dev.lathe.core.store.Db db; }\n");
        source("server", "dev.lathe.server", "S", "class S { dev.lathe.core.store.Db db; dev.lathe.protocol.api.LatheApi api; }\n");
        source("testkit", "dev.lathe.testkit", "T", "class T { dev.lathe.core.store.Db db; }\n");

        var found = violations();

        assertThat(found).hasSize(1);
        assertThat(found.getFirst().module()).isEqualTo("app");
        assertThat(found.getFirst().name()).isEqualTo("dev.lathe.core.store.Db");
    }

    @Test
    void aModuleMissingFromTheTableIsReported() throws IOException {
        baseTree();
        source("plugins", "dev.lathe.plugins", "P", "class P {}\n");

        assertThat(violations()).extracting(ImportBoundaries.Violation::module).containsExactly("plugins");
    }

    @Test
    void packagesAreMappedToModulesFromTheTree() throws IOException {
        baseTree();
        assertThat(new ImportBoundaries(root, ModuleBoundariesTest.MAY_IMPORT, ModuleBoundariesTest.TEST_ONLY).packages())
                .containsEntry("dev.lathe.core.x", "core").containsEntry("dev.lathe.protocol.api", "protocol")
                .containsEntry("dev.lathe.client", "client");
    }
}
