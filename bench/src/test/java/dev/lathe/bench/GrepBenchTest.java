package dev.lathe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GrepBench on a tiny tree: every path finds the tree's known matches and gets a positive time; no speed is asserted. */
class GrepBenchTest {
    @TempDir Path tmp;
    final ByteArrayOutputStream notes = new ByteArrayOutputStream();

    GrepBench.Figure run(Path dir, GrepBench.Fallback fallback) throws Exception {
        var options = new GrepBench.Options(300, Optional.of(dir), 1, 0, SourceTree.NEEDLE, fallback);
        return GrepBench.run(options, new PrintStream(notes, true, StandardCharsets.UTF_8));
    }

    @Test
    void treeIsDeterministicAndHidesSomeMatches() throws Exception {
        var a = SourceTree.at(tmp.resolve("a"), 300);
        var b = SourceTree.at(tmp.resolve("b"), 300);
        assertThat(a.expected()).isPositive().isEqualTo(b.expected());
        // reused through its marker, not rewritten
        assertThat(SourceTree.at(tmp.resolve("a"), 300)).isEqualTo(a);
    }

    @Test
    void javaFallbackFindsTheKnownMatches() throws Exception {
        var figure = run(tmp.resolve("tree"), GrepBench.Fallback.MEASURED);
        assertThat(figure.matches()).isEqualTo(SourceTree.at(tmp.resolve("tree"), 300).expected()).isPositive();
        assertThat(figure.latheMs()).isPositive();
        assertThat(figure.javaMs()).hasValueSatisfying(ms -> assertThat(ms).isPositive());
        assertThat(figure.json()).startsWith("{\"figure\":\"grep_300_ms\",\"files\":300,").contains("\"matches\":" + figure.matches());
    }

    @Test
    void latheAndRipgrepAgree() throws Exception {
        assumeTrue(GrepBench.ripgrep().isPresent(), "rg is not installed");
        var figure = run(tmp.resolve("tree"), GrepBench.Fallback.SKIPPED);
        assertThat(figure.ripgrepMs()).hasValueSatisfying(ms -> assertThat(ms).isPositive());
        assertThat(figure.ratio()).hasValueSatisfying(r -> assertThat(r).isPositive());
        assertThat(figure.javaMs()).isEmpty();
        assertThat(figure.json()).contains("\"java_fallback\":null", "\"lathe_search\":\"ripgrep\"");
    }
}
