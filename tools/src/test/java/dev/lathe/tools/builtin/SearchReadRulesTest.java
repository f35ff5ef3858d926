package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * grep, glob and list agree on the files a {@code read} rule denies (issue 53, decision 385): none of the three shows
 * a denied file, nor another name of it (a hard link), and each says how many it left out. A link out of the project is
 * never shown either. Real files, both search paths (ripgrep when installed, the Java walk always).
 */
class SearchReadRulesTest {
    static final String SECRET = "sk-canary-search-rules";

    @TempDir Path tmp;
    Path project;

    @BeforeEach
    void tree() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("far.txt"), SECRET + " far\n");
        Files.writeString(project.resolve(".env"), SECRET + "\n");
        Files.createLink(project.resolve("innocent.txt"), project.resolve(".env"));
        Files.createDirectories(project.resolve("secrets"));
        Files.writeString(project.resolve("secrets/key.pem"), SECRET + " pem\n");
        Files.createSymbolicLink(project.resolve("far-link.txt"), outside.resolve("far.txt"));
        Files.writeString(project.resolve("public.txt"), SECRET + " is fine here\n");
        // the denied files are the newest: a cap on what is shown must not let them in ahead of the others
        Files.setLastModifiedTime(project.resolve("public.txt"), FileTime.fromMillis(1_600_000_000_000L));
    }

    /** Like a project's rules: read denies .env and secrets/**, everything else is allowed. */
    final Permissions rules = new Permissions() {
        @Override
        public void require(PermissionCheck check) {
            if (denies(check)) throw new PermissionRejected("denied: " + check.patterns());
        }

        @Override
        public boolean denies(PermissionCheck check) {
            return check.permission().equals("read") && check.patterns().stream().anyMatch(p -> p.equals(".env") || p.startsWith("secrets/"));
        }
    };

    ToolContext ctx() {
        return ToolContext.builder(project, rules).session("ses_r").call("call_r").output(tmp.resolve("out")).build();
    }

    static List<Search> searches() {
        return Ripgrep.available() ? List.of(new JavaSearch(), new RipgrepSearch()) : List.of(new JavaSearch());
    }

    @ParameterizedTest
    @MethodSource("searches")
    void theThreeSearchToolsLeaveOutTheSameDeniedFiles(Search s) {
        String grep = new GrepTool(s).run(new GrepTool.Args(SECRET, Optional.empty(), Optional.empty()), ctx()).output();
        String glob = new GlobTool(s).run(new GlobTool.Args("**/*", Optional.empty()), ctx()).output();
        String list = new ListTool(s).run(new ListTool.Args(Optional.empty(), Optional.empty()), ctx()).output();

        for (String out : List.of(grep, glob, list)) {
            assertThat(out).contains("public.txt").doesNotContain(".env", "innocent.txt", "key.pem", "far-link.txt", "far.txt")
                    .contains("3 files").contains("a read rule denies them");
        }
    }

    @ParameterizedTest
    @MethodSource("searches")
    void aGlobOfOnlyDeniedFilesSaysWhyNothingShows(Search s) {
        String glob = new GlobTool(s).run(new GlobTool.Args("*.pem", Optional.empty()), ctx()).output();

        assertThat(glob).startsWith("No files found").contains("1 file left out: a read rule denies it").doesNotContain("key.pem");
    }
}
