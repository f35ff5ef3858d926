package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java walk used without ripgrep honours .gitignore files the way ripgrep (and git) do. */
class FileWalkTest {
    @TempDir Path root;

    private void tree() throws Exception {
        for (String f : List.of("src/Main.java", "src/gen/Out.java", "src/gen/keep.txt", "logs/a.log", "notes.log", "important.log",
                "docs/build/page.html", "build/app.jar", "web/node_cache/x.js", "web/app.js", "web/dist/bundle.js", "deep/a/b/c.tmp")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), f);
        }
        Files.writeString(root.resolve(".gitignore"), "# comment\n*.log\n!important.log\n/build/\n**/*.tmp\n");
        Files.writeString(root.resolve("src/.gitignore"), "gen/*\n!gen/keep.txt\n");
        Files.writeString(root.resolve("web/.gitignore"), "dist/\nnode_cache\n");
        // ripgrep needs a repository to apply .gitignore files
        Files.createDirectories(root.resolve(".git"));
    }

    private TreeSet<String> relative(List<Path> files) {
        var out = new TreeSet<String>();
        for (Path p : files) out.add(root.relativize(p).toString().replace('\\', '/'));
        return out;
    }

    @Test
    void ignoredFilesAndFoldersAreLeftOutAndNegationsKeepTheirFiles() throws Exception {
        tree();
        var found = relative(FileWalk.files(root, 1000));
        assertThat(found).contains("src/Main.java", "src/gen/keep.txt", "important.log", "docs/build/page.html", "web/app.js", ".gitignore")
                .doesNotContain("src/gen/Out.java", "logs/a.log", "notes.log", "build/app.jar", "web/dist/bundle.js", "web/node_cache/x.js",
                        "deep/a/b/c.tmp");
    }

    @Test
    void theJavaWalkFindsWhatRipgrepFinds() throws Exception {
        assumeTrue(Ripgrep.available(), "ripgrep is not installed");
        tree();
        var rg = new ProcessBuilder("rg", "--files", "--hidden", "--glob", "!.git").directory(root.toFile()).start();
        var expected = new TreeSet<>(new String(rg.getInputStream().readAllBytes()).lines().toList());
        assertThat(rg.waitFor()).isZero();
        assertThat(relative(FileWalk.files(root, 1000))).isEqualTo(expected);
    }

    @Test
    void aFifoNamedAsGitignoreIsPassedOverNotWaitedOn() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createDirectories(root.resolve(".git"));
        assumeTrue(new ProcessBuilder("mkfifo", root.resolve(".gitignore").toString()).start().waitFor() == 0, "mkfifo");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThat(GitIgnore.in(root).isEmpty()).isTrue());
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThat(relative(FileWalk.files(root, 100))).contains("a.txt"));
    }

    @Test
    void aGitignoreLinkedOutOfItsFolderIsNotRead(@TempDir Path outside) throws Exception {
        // git itself does not follow a linked .gitignore: rules from a file elsewhere would hide the project's files
        Files.writeString(outside.resolve("rules"), "*.java\n");
        Files.writeString(root.resolve("Main.java"), "class Main {}");
        Files.createSymbolicLink(root.resolve(".gitignore"), outside.resolve("rules"));
        assertThat(GitIgnore.in(root).isEmpty()).isTrue();
        Files.delete(root.resolve(".gitignore"));
        Files.writeString(root.resolve(".gitignore"), "*.java\n");
        assertThat(GitIgnore.in(root).isEmpty()).isFalse();
    }

    @Test
    void aHugeGitignoreIsNotHeld() throws Exception {
        try (var f = new java.io.RandomAccessFile(root.resolve(".gitignore").toFile(), "rw")) {
            f.setLength(500L << 20); // sparse
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThat(GitIgnore.in(root).isEmpty()).isTrue());
    }
}
