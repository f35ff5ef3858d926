package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's packages depend on each other in one direction only: a newcomer can read them bottom-up. */
class PackageCyclesTest {
    @Test
    void corePackagesFormNoCycle() {
        var graph = PackageGraph.of(Path.of("src/main/java"));
        assertThat(graph.edges()).containsKeys("dev.lathe.core.session", "dev.lathe.core.context", "dev.lathe.core.ask");
        assertThat(graph.cycles()).as("package cycles in core (edges: %s)", graph.edges()).isEmpty();
    }

    @Test
    void findsAPlantedCycleThroughAFullyQualifiedName(@TempDir Path root) throws Exception {
        write(root, "a/A.java", "package x.a;\nimport x.b.B;\nclass A { B b; }\n");
        // no import: a fully qualified name in code counts; one in a comment or a string does not
        write(root, "b/B.java", "package x.b;\nclass B { Object o = new x.a.A(); }\n");
        write(root, "c/C.java", "package x.c;\n// x.a.A\nclass C { String s = \"x.b.B\"; }\n");
        var graph = PackageGraph.of(root);
        assertThat(graph.cycles()).containsExactly(Set.of("x.a", "x.b"));
        assertThat(graph.edges().get("x.c")).isEmpty();
    }

    @Test
    void anAcyclicTreeHasNoCycle(@TempDir Path root) throws Exception {
        write(root, "a/A.java", "package x.a;\nimport x.b.B;\nclass A { B b; }\n");
        write(root, "b/B.java", "package x.b;\nclass B {}\n");
        assertThat(PackageGraph.of(root).cycles()).isEqualTo(List.of());
    }

    private static void write(Path root, String name, String text) throws Exception {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
