package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * grep, glob and list on one real tree through both search paths: the pure-Java one always, ripgrep when installed,
 * and the two must print the same thing.
 */
class SearchParityTest {
    @TempDir Path tmp;
    Path root;

    /** Every file of the tree, in the order of their modification times (oldest first), and whether they are visible. */
    static final List<String> VISIBLE = List.of("src/Main.java", "src/gen/keep.txt", "important.log", "docs/build/page.html", "web/app.js",
            ".hidden/config.txt", ".env", "src/.gitignore", ".gitignore", "web/.gitignore", "web/weird:name.txt", "a/b/c/Deep.java",
            "a/.ignore", "a/b/kept.tmpl");
    static final List<String> HIDDEN = List.of("src/gen/Out.java", "logs/a.log", "notes.log", "build/app.jar", "web/dist/bundle.js",
            "web/node_cache/x.js", "deep/a/b/c.tmp", "node_modules/lib/index.js", ".git/config", "a/b/skip.tmpl");

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        long time = 1_600_000_000_000L;
        for (String f : Stream.concat(VISIBLE.stream(), HIDDEN.stream()).toList()) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) Files.writeString(p, "needle in " + f + "\nother line\n");
        }
        Files.writeString(root.resolve(".gitignore"), "# comment\n*.log\n!important.log\n/build/\n**/*.tmp\n");
        Files.writeString(root.resolve("src/.gitignore"), "gen/*\n!gen/keep.txt\n");
        Files.writeString(root.resolve("web/.gitignore"), "dist/\nnode_cache\n");
        Files.writeString(root.resolve("a/.ignore"), "skip.*\n");
        Files.write(root.resolve("web/blob.bin"), new byte[] {'n', 'e', 'e', 'd', 'l', 'e', 0, 1});
        for (String f : VISIBLE) Files.setLastModifiedTime(root.resolve(f), FileTime.fromMillis(time += 60_000));
        Files.setLastModifiedTime(root.resolve("web/blob.bin"), FileTime.fromMillis(time += 60_000));
    }

    ToolContext ctx() {
        return ToolContext.builder(root, RecordingPermissions.allowing()).session("ses").call("call_1").output(tmp.resolve("out")).build();
    }

    static List<Search> searches() {
        return Ripgrep.available() ? List.of(new JavaSearch(), new RipgrepSearch()) : List.of(new JavaSearch());
    }

    String grep(Search s, String pattern, String path, String include) {
        return new GrepTool(s).run(new GrepTool.Args(pattern, Optional.ofNullable(path), Optional.ofNullable(include)), ctx()).output();
    }

    String glob(Search s, String pattern, String path) {
        return new GlobTool(s).run(new GlobTool.Args(pattern, Optional.ofNullable(path)), ctx()).output();
    }

    String list(Search s, String path) {
        return new ListTool(s).run(new ListTool.Args(Optional.ofNullable(path), Optional.empty()), ctx()).output();
    }

    @ParameterizedTest
    @MethodSource("searches")
    void ignoredFilesAreLeftOutAndTheNewestFileComesFirst(Search s) {
        List<String> data = VISIBLE.stream().filter(f -> !f.endsWith("ignore")).toList(); // ignore files hold rules, not the needle
        String out = grep(s, "^needle", null, null);
        assertThat(out).startsWith("Found " + data.size() + " match(es).\n");
        for (String f : data) assertThat(out).contains(root.resolve(f) + ":\n  Line 1: needle in " + f + "\n");
        for (String f : HIDDEN) assertThat(out).doesNotContain(f);
        assertThat(out).doesNotContain("blob.bin");
        // newest first: the order of the files is the reverse of their modification times
        List<String> order = out.lines().filter(l -> l.endsWith(":") && l.startsWith("/")).map(l -> root.relativize(Path.of(l.substring(0, l.length() - 1))).toString()).toList();
        assertThat(order).containsExactlyElementsOf(data.reversed());

        assertThat(grep(s, "needle", null, "*.java")).contains("Main.java").contains("Deep.java").doesNotContain("app.js").doesNotContain("Out.java");
        assertThat(grep(s, "needle", null, "a/**/*.java")).contains("Deep.java").doesNotContain("Main.java");
        assertThat(grep(s, "needle", "src", null)).contains("Main.java").contains("keep.txt").doesNotContain("Out.java").doesNotContain("web/");
        assertThat(grep(s, "other", "src/Main.java", null)).contains("Line 2: other line");
        assertThat(grep(s, "absent-[x]{3}", null, null)).isEqualTo("No files found");

        String files = glob(s, "*.java", null);
        assertThat(files.lines().toList()).containsExactly(root.resolve("a/b/c/Deep.java").toString(), root.resolve("src/Main.java").toString());
        assertThat(glob(s, "**/*.txt", null)).contains("keep.txt").contains("config.txt").contains("weird:name.txt");
        assertThat(glob(s, "src/**", null)).contains("Main.java").doesNotContain("Out.java");

        String tree = list(s, null);
        assertThat(tree).contains("  src/\n    .gitignore\n    Main.java\n    gen/\n      keep.txt\n").contains(".hidden/").doesNotContain("node_modules")
                .doesNotContain("Out.java").doesNotContain("dist").doesNotContain(".git/");
    }

    @Test
    void ripgrepAndTheJavaWalkPrintTheSame() {
        assumeTrue(Ripgrep.available(), "ripgrep is not installed");
        Search java = new JavaSearch();
        Search rg = new RipgrepSearch();
        for (String[] q : new String[][] {{"needle", null, null}, {"^needle in [a-z]+/", null, null}, {"line$", "web", null},
                {"needle", null, "*.{java,txt}"}, {"needle", "a", "b/**"}, {"in \\.", null, null}}) {
            assertThat(grep(rg, q[0], q[1], q[2])).as("grep %s", String.join(" ", Stream.of(q).map(String::valueOf).toList()))
                    .isEqualTo(grep(java, q[0], q[1], q[2]));
        }
        for (String g : List.of("*", "**/*.java", "*.txt", "src/*", ".*", "**/.gitignore")) {
            assertThat(glob(rg, g, null)).as("glob %s", g).isEqualTo(glob(java, g, null));
        }
        assertThat(list(rg, null)).isEqualTo(list(java, null));
        assertThat(list(rg, "web")).isEqualTo(list(java, "web"));
        assertThat(new RipgrepSearch().files(root, 1000, ctx())).containsExactlyInAnyOrderElementsOf(new JavaSearch().files(root, 1000, ctx()));
    }

    @ParameterizedTest
    @MethodSource("searches")
    void resultsAreCappedWithANoteAndTheNewestKept(Search s) throws Exception {
        Path many = Files.createDirectories(root.resolve("many"));
        long time = 1_700_000_000_000L;
        for (int i = 0; i < 130; i++) {
            Path f = many.resolve("f" + i + ".txt");
            Files.writeString(f, "hit\n");
            Files.setLastModifiedTime(f, FileTime.fromMillis(time + i * 1000L));
        }
        String found = glob(s, "*.txt", "many");
        assertThat(found.lines().filter(l -> l.startsWith("/")).toList()).hasSize(100).first().isEqualTo(many.resolve("f129.txt").toString());
        assertThat(found).contains("results truncated").contains("100 of 130").doesNotContain("f29.txt\n").doesNotContain("/f0.txt");

        String hits = grep(s, "hit", "many", null);
        assertThat(hits).startsWith("Found 130 match(es).").contains("results truncated: showing 100 of 130");
        assertThat(hits.lines().filter(l -> l.startsWith("  Line")).count()).isEqualTo(100);
        assertThat(hits.indexOf("f129.txt")).isLessThan(hits.indexOf("f128.txt"));
        assertThat(hits).doesNotContain("/f29.txt");

        String tree = list(s, "many");
        assertThat(tree).contains("results truncated").contains("f129.txt").doesNotContain("f29.txt\n").doesNotContain(" f0.txt");
        assertThat(tree.lines().filter(l -> l.endsWith(".txt")).count()).isEqualTo(100);
    }

    @ParameterizedTest
    @MethodSource("searches")
    void anInvalidPatternIsAFailureTheModelCanFix(Search s) {
        assertThatThrownBy(() -> grep(s, "(unclosed", null, null)).isInstanceOf(ToolFailure.class).hasMessageContaining("(unclosed");
    }

    @Test
    void theJavaPathSurvivesCatastrophicPatterns() throws Exception {
        Files.writeString(root.resolve("evil.txt"), "a".repeat(50_000) + "!\n");
        long start = System.nanoTime();
        assertThat(grep(new JavaSearch(), "(a+)+$", null, "evil.txt")).isEqualTo("No files found");
        assertThat((System.nanoTime() - start) / 1_000_000).as("RE2/J runs in linear time").isLessThan(10_000);
    }
}
