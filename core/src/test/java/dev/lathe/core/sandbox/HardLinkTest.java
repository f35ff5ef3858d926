package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hard links to files a {@code read} rule denies, made before the session ({@code ln .env notes.txt}): the same file
 * under a name no rule matches. With real files and links, real rules, the real read tool and real bubblewrap: the
 * read tool refuses every other name of a denied file (also of one in a denied folder), and inside the sandbox those
 * names are hidden like the denied ones, for {@code cat} and for the grep tool's ripgrep alike. An ordinary file with
 * two names, neither denied, reads as before.
 */
class HardLinkTest {
    static final String SECRET = "OPENAI_API_KEY=sk-canary-hardlink";

    @TempDir Path tmp;
    Path project;
    final Ruleset rules = new Ruleset(List.of(new Rule("*", "*", Action.ALLOW), new Rule("read", ".env", Action.DENY),
            new Rule("read", "secrets/**", Action.DENY)));

    @BeforeEach
    void links() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
        Files.writeString(project.resolve(".env"), SECRET + "\n");
        Files.createLink(project.resolve("innocent.txt"), project.resolve(".env"));
        Files.createDirectories(project.resolve("secrets"));
        Files.writeString(project.resolve("secrets/key.pem"), SECRET + "-pem\n");
        Files.createDirectories(project.resolve("docs"));
        Files.createLink(project.resolve("docs/notes.md"), project.resolve("secrets/key.pem"));
        Files.writeString(project.resolve("a.txt"), "plain text\n");
        Files.createLink(project.resolve("b.txt"), project.resolve("a.txt"));
    }

    /** The read rule decides as the gate would: a deny throws, everything else is allowed (no one to ask here). */
    final Permissions gate = new Permissions() {
        @Override
        public void require(PermissionCheck check) {
            if (denies(check)) throw new PermissionRejected("denied: " + check.patterns());
        }

        @Override
        public boolean denies(PermissionCheck check) {
            return check.patterns().stream().anyMatch(p -> rules.evaluate(check.permission(), p) == Action.DENY);
        }
    };

    private ToolContext ctx() {
        return ToolContext.builder(project, gate).session("ses_hl").call("call_hl").output(tmp.resolve("out")).build();
    }

    private String run(String tool, String json, ToolContext ctx) {
        return new ToolExecutor(ToolRegistry.builtins()).execute(tool, json, ctx).output();
    }

    @Test
    void theReadToolRefusesEveryOtherNameOfADeniedFile() {
        assertThatThrownBy(() -> run("read", "{\"path\":\".env\"}", ctx())).isInstanceOf(PermissionRejected.class);
        assertThatThrownBy(() -> run("read", "{\"path\":\"innocent.txt\"}", ctx())).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("hard link").hasMessageContaining(".env").hasMessageNotContaining("sk-canary");
        assertThatThrownBy(() -> run("read", "{\"path\":\"docs/notes.md\"}", ctx())).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("secrets/key.pem");
        // two names, neither denied: read as before
        assertThat(run("read", "{\"path\":\"b.txt\"}", ctx())).contains("plain text");
    }

    @Test
    void insideTheSandboxTheOtherNamesAreHiddenLikeTheDeniedOnes() {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        var launcher = new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, tmp.resolve("cfg")), () -> List.of(rules), "ses_hl", ProcessLauncher.DIRECT, Optional::empty);
        ToolContext sandboxed = ctx().withLauncher(launcher);

        String cat = run("bash", "{\"command\":\"cat innocent.txt docs/notes.md b.txt; echo done\"}", sandboxed);
        String grep = run("grep", "{\"pattern\":\"sk-canary\"}", sandboxed);

        assertThat(cat).contains("plain text", "done").doesNotContain("sk-canary");
        assertThat(grep).doesNotContain("sk-canary");
    }

    /**
     * A project larger than the walk that finds denied files and their other names: what the walk did not reach may
     * hold one, so the command is refused with the reason (fail closed) instead of run with a denied file visible.
     * The limit is made small; the project's real files are the same.
     */
    @Test
    void aProjectTooLargeToWalkIsRefusedNotRunWithDeniedFilesVisible() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        Path marker = tmp.resolve("ran");
        var launcher = new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, tmp.resolve("cfg")), () -> List.of(rules), "ses_hl", ProcessLauncher.DIRECT, Optional::empty)
                .withWalkLimit(3);
        ToolContext sandboxed = ctx().withLauncher(launcher);

        assertThatThrownBy(() -> run("bash", "{\"command\":\"cat innocent.txt; touch " + marker + "\"}", sandboxed))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("more than 3 files and folders").hasMessageNotContaining("sk-canary");
        assertThat(marker).doesNotExist();
        // the same project within the limit runs, with the denied names hidden
        assertThat(run("bash", "{\"command\":\"cat innocent.txt; echo done\"}", ctx().withLauncher(launcher.withWalkLimit(1000))))
                .contains("done").doesNotContain("sk-canary");
    }

    /**
     * Issue 53: a project larger than the sandbox's walk is still searched. The grep tool's ripgrep runs sandboxed
     * without the walk, and every file it names passes the file gateway's read rules before a line of it is shown: the
     * denied file, its hard links and a symlink to it never show, and the allowed match does. 201,000 entries of empty
     * files, past the walk's 200,000 (and the gateway's hard-link index's: a file with several names is then left out,
     * fail closed): each folder's first file and 999 more names of it. Both walks count names, not files; a new inode
     * is what a busy disk makes slowly (201,000 of them took 70-190 s of the suite, the names take a tenth of that),
     * and no filler name matches the search, so none is ever looked up.
     */
    @Test
    void aProjectTooLargeToWalkIsStillSearchedWithDeniedFilesLeftOut() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        Files.createSymbolicLink(project.resolve("link.txt"), project.resolve(".env"));
        Files.writeString(project.resolve("public.txt"), "sk-canary-public is fine to show\n");
        for (int d = 0; d < 201; d++) {
            Path dir = Files.createDirectories(project.resolve("gen/d" + d));
            Path first = Files.createFile(dir.resolve("f0"));
            for (int f = 1; f < 1000; f++) Files.createLink(dir.resolve("f" + f), first);
        }
        var launcher = new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, tmp.resolve("cfg")), () -> List.of(rules), "ses_hl", ProcessLauncher.DIRECT, Optional::empty);
        ToolContext sandboxed = ctx().withLauncher(launcher);

        String grep = run("grep", "{\"pattern\":\"sk-canary\"}", sandboxed);

        assertThat(grep).contains("public.txt", "sk-canary-public").doesNotContain("sk-canary-hardlink", "innocent.txt", "notes.md", "link.txt")
                .contains("left out: a read rule denies");
        // without the sandbox the same files stay out (they used to show there)
        assertThat(run("grep", "{\"pattern\":\"sk-canary\"}", ctx())).contains("sk-canary-public").doesNotContain("sk-canary-hardlink", "innocent.txt", "notes.md");
    }
}
