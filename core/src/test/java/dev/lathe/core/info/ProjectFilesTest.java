package dev.lathe.core.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.tools.builtin.ProjectSearch;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /files}, {@code /files/content}, {@code /find/files} and {@code /find/text} on a real git repository. */
class ProjectFilesTest {
    @TempDir Path tmp;
    InfoFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new InfoFixture(tmp, Map.of());
        // the file routes serve projects of the server only: folders with a session (or trusted, or answered)
        f.api.createSession(dev.lathe.protocol.api.CreateSessionRequest.in(f.dir()));
    }

    @AfterEach
    void close() {
        f.close();
    }

    static LatheException refused(ThrowingCallable call) {
        LatheException e = catchThrowableOfType(LatheException.class, call);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void pathsLeadingOutsideTheProjectAreRefused() throws Exception {
        Path outside = Files.createDirectories(f.tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(f.project.resolve("out"), outside);
        Files.createSymbolicLink(f.project.resolve("leak.txt"), outside.resolve("secret.txt"));
        f.write("src/A.java", "class A {}");
        var api = f.api;

        assertThat(refused(() -> api.files(f.dir(), "../outside"))).isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), "../outside/secret.txt"))).isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), "src/../../outside/secret.txt"))).isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), f.tmp.resolve("outside/secret.txt").toString()))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(refused(() -> api.files(f.dir(), "/"))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(refused(() -> api.files(f.dir(), "out"))).as("a link to a folder outside").isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), "out/secret.txt"))).isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), "out/missing.txt"))).as("even when missing").isInstanceOf(LatheException.Forbidden.class);
        assertThat(refused(() -> api.fileContent(f.dir(), "leak.txt"))).as("a link to a file outside").isInstanceOf(LatheException.Forbidden.class);
        assertThat(api.findText(f.dir(), "top secret", 10)).as("searches do not follow links").isEmpty();
        assertThat(api.findFiles(f.dir(), "secret", 10)).isEmpty();
    }

    @Test
    void missingPathsAnswer404AndKindMismatches400() throws Exception {
        f.write("src/A.java", "class A {}");

        assertThat(refused(() -> f.api.files(f.dir(), "nope"))).isInstanceOf(LatheException.NotFound.class);
        assertThat(refused(() -> f.api.fileContent(f.dir(), "src/nope.java"))).isInstanceOf(LatheException.NotFound.class);
        assertThat(refused(() -> f.api.files(f.dir(), "src/A.java"))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(refused(() -> f.api.fileContent(f.dir(), "src"))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(refused(() -> f.api.files("relative/dir", ""))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(refused(() -> f.api.files(f.tmp.resolve("gone").toString(), ""))).isInstanceOf(LatheException.InvalidInput.class);
        assertThat(f.api.fileContent(f.dir(), "src/../src/./A.java").path()).isEqualTo("src/A.java");
    }

    @Test
    void listingShowsFoldersFirstAndFlagsWhatGitignoreHides() throws Exception {
        f.write(".gitignore", "*.log\nbuild/\n!keep.log\n");
        f.write("src/.gitignore", "gen/\n");
        f.write("src/Main.java", "class Main {}\n");
        f.write("src/gen/G.java", "class G {}\n");
        f.write("build/out.class", "xx");
        f.write("app.log", "log");
        f.write("keep.log", "kept");
        f.write("README.md", "# hi\n");
        f.write("node_modules/x/index.js", "1");

        assertThat(f.api.files(f.dir(), "")).containsExactly(
                new FileEntry("build", "build", "directory", 0, true),
                new FileEntry("node_modules", "node_modules", "directory", 0, true),
                new FileEntry("src", "src", "directory", 0, false),
                new FileEntry(".gitignore", ".gitignore", "file", 23, false),
                new FileEntry("app.log", "app.log", "file", 3, true),
                new FileEntry("keep.log", "keep.log", "file", 4, false),
                new FileEntry("README.md", "README.md", "file", 5, false));
        assertThat(f.api.files(f.dir(), "src")).containsExactly(
                new FileEntry("gen", "src/gen", "directory", 0, true),
                new FileEntry(".gitignore", "src/.gitignore", "file", 5, false),
                new FileEntry("Main.java", "src/Main.java", "file", 14, false));
        assertThat(f.api.files(f.dir(), "src/gen")).containsExactly(new FileEntry("G.java", "src/gen/G.java", "file", 11, true));
        assertThat(f.api.files(f.dir(), "build/")).containsExactly(new FileEntry("out.class", "build/out.class", "file", 2, true));
    }

    @Test
    void textIsUtf8AndAnythingElseBase64WithASizeCap() throws Exception {
        f.write("hello.txt", "héllo ✓\n");
        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
        Files.write(f.project.resolve("image.png"), binary);
        Files.write(f.project.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
        try (var big = new RandomAccessFile(f.project.resolve("big.bin").toFile(), "rw")) {
            big.setLength(FileBrowser.MAX_CONTENT + 1);
        }

        assertThat(f.api.fileContent(f.dir(), "hello.txt")).isEqualTo(new FileContent("hello.txt", "utf-8", "héllo ✓\n", 11));
        FileContent image = f.api.fileContent(f.dir(), "image.png");
        assertThat(image.encoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(image.content())).isEqualTo(binary);
        assertThat(image.size()).isEqualTo(8);
        assertThat(f.api.fileContent(f.dir(), "latin1.txt").encoding()).isEqualTo("base64");
        LatheException tooLarge = refused(() -> f.api.fileContent(f.dir(), "big.bin"));
        assertThat(tooLarge).isInstanceOf(LatheException.TooLarge.class);
        assertThat(tooLarge.code()).isEqualTo("too_large");
    }

    @Test
    void findFilesRanksFuzzyMatchesAndSkipsIgnoredFiles() throws Exception {
        f.write(".gitignore", "build/\n");
        for (String p : List.of("src/main/java/dev/App.java", "src/main/java/dev/Main.java", "docs/maintenance.md", "src/domain/Other.java",
                "build/Main.class", "node_modules/main/index.js", "README.md")) {
            f.write(p, "x\n");
        }
        long t = System.currentTimeMillis() + 3_600_000;  // newer than the files just written
        for (String p : List.of("src/main/java/dev/Main.java", "README.md", "docs/maintenance.md")) {
            Files.setLastModifiedTime(f.project.resolve(p), FileTime.fromMillis(t += 60_000));
        }

        assertThat(f.api.findFiles(f.dir(), "main", 10)).containsExactly("docs/maintenance.md", "src/main/java/dev/Main.java",
                "src/main/java/dev/App.java", "src/domain/Other.java");
        assertThat(f.api.findFiles(f.dir(), "mainjava", 10)).first().isEqualTo("src/main/java/dev/Main.java");
        assertThat(f.api.findFiles(f.dir(), "app", 1)).containsExactly("src/main/java/dev/App.java");
        assertThat(f.api.findFiles(f.dir(), "zzz", 10)).isEmpty();
        assertThat(f.api.findFiles(f.dir(), "", 3)).as("newest first").containsExactly("docs/maintenance.md", "README.md", "src/main/java/dev/Main.java");
    }

    @Test
    void findTextGivesMatchingLinesByPathWithBothSearchPathsAndRefusesBadRegex() throws Exception {
        f.write(".gitignore", "*.log\n");
        f.write("b.txt", "one\nneedle two\nneedle three\n");
        f.write("a/c.txt", "a needle\n");
        f.write("debug.log", "needle in a log\n");
        f.write("node_modules/m/i.js", "needle\n");

        var expected = List.of(new TextMatch("a/c.txt", 1, "a needle"),
                new TextMatch("b.txt", 2, "needle two"), new TextMatch("b.txt", 3, "needle three"));
        assertThat(f.api.findText(f.dir(), "ne+dle", 50)).isEqualTo(expected);
        assertThat(new FileFinder(ProjectSearch.javaWalk(), Duration.ZERO).text(f.project, "ne+dle", 50)).isEqualTo(expected);
        assertThat(f.api.findText(f.dir(), "needle", 1)).hasSize(1);
        for (ProjectSearch search : List.of(ProjectSearch.auto(), ProjectSearch.javaWalk())) {
            var finder = new FileFinder(search, Duration.ZERO);
            LatheException bad = refused(() -> finder.text(f.project, "needle(", 10));
            assertThat(bad).isInstanceOf(LatheException.InvalidInput.class);
            assertThat(bad.getMessage()).contains("invalid regular expression");
        }
        assertThat(refused(() -> f.api.findText(f.dir(), "", 10))).isInstanceOf(LatheException.InvalidInput.class);
    }

    @Test
    void oneWalkServesTheQueriesThatFollowForAWhile() throws Exception {
        f.write("a/first.txt", "x");
        var reusing = new FileFinder(ProjectSearch.auto(), Duration.ofMinutes(1));
        var fresh = new FileFinder(ProjectSearch.auto(), Duration.ZERO);

        assertThat(reusing.files(f.project, "txt", 10)).containsExactly("a/first.txt");
        f.write("a/second.txt", "x");

        assertThat(reusing.files(f.project, "txt", 10)).containsExactly("a/first.txt");
        assertThat(fresh.files(f.project, "txt", 10)).containsExactly("a/first.txt", "a/second.txt");
    }
}
