package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarded paths that do not exist (git's hooks and config, Lathe's project config) cannot be created by a sandboxed
 * command, with real bubblewrap and bash: the sandbox binds an empty read-only placeholder over each, removes it after
 * the last command using it (those inside {@code .git} stay, as {@code git init} makes them), moves aside a
 * {@code lathe.json} the command made, and leaves the user's own files alone. {@code AgentWrittenConfigTest} goes over
 * the whole protected list. With the sandbox off the same command creates them all (the contrast).
 */
class GuardedPathsTest {
    @TempDir Path tmp;
    Path project;

    final ToolCallPipeline pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT);

    /** Plants a hook, git config, project config in both places and the user's config; then writes an ordinary file. */
    static final String PLANT = String.join("; ",
            "mkdir -p .git/hooks; echo 'echo pwned' > .git/hooks/pre-commit && echo wrote-hook",
            "printf '[core]\\n\\thooksPath = h\\n' > .git/config && echo wrote-git-config",
            "rmdir lathe.json; rm -rf lathe.json; echo '{}' > lathe.json && echo wrote-lathe-json",
            "mkdir -p .lathe; echo '{}' > .lathe/lathe.json && echo wrote-dot-lathe",
            "mkdir -p cfg; echo '{}' > cfg/lathe.json && echo wrote-user-config",
            "echo kept > inside.txt && echo wrote-inside");

    @BeforeEach
    void repositoryWithoutHooksOrConfig() throws Exception {
        project = Files.createDirectories(tmp.resolve("p"));
        Process git = new ProcessBuilder("git", "init", "-q").directory(project.toFile()).inheritIO().start();
        assertThat(git.waitFor()).isZero();
        try (var hooks = Files.walk(project.resolve(".git/hooks"))) {
            hooks.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.delete(project.resolve(".git/config"));
    }

    private SandboxLauncher launcher(SandboxConfig.Mode mode) {
        return new SandboxLauncher(new SandboxConfig(mode, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, project.resolve("cfg")), () -> List.of(new Ruleset(List.of())), "ses_guard_" + mode,
                ProcessLauncher.DIRECT, Optional::empty);
    }

    private String bash(String command, SandboxLauncher launcher) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_g").call("call_g").output(tmp.resolve("out")).launcher(launcher)
                .build();
        return pipeline.run(ToolCall.of("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + "}", ctx, Origin.MODEL),
                PartRecorder.NONE).output();
    }

    private static void bubblewrapWorks() {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
    }

    @Test
    void missingGuardedPathsCannotBeCreatedOrAreMovedAsideAndNothingShowsInTheWorkTree() throws Exception {
        bubblewrapWorks();
        // a plain listing inside shows the project as it is: no stand-in for a missing lathe.json (nor for .claude, .mcp.json,
        // ...: only Lathe's own .lathe gets a real empty folder, which stays)
        assertThat(bash("ls", launcher(SandboxConfig.Mode.ON))).doesNotContain("lathe.json\n");

        String out = bash(PLANT, launcher(SandboxConfig.Mode.ON));

        assertThat(out).contains("wrote-inside").doesNotContain("wrote-hook", "wrote-git-config", "wrote-user-config", "wrote-dot-lathe");
        assertThat(project.resolve("inside.txt")).exists();
        assertThat(project.resolve(".git/hooks/pre-commit")).doesNotExist();
        // git's own placeholders stay: what git init leaves, read by git as no hooks and no settings
        assertThat(project.resolve(".git/hooks")).isEmptyDirectory();
        assertThat(project.resolve(".git/config")).isEmptyFile();
        awaitReleased(project.resolve("cfg"));
        assertThat(project.resolve("cfg")).doesNotExist();
        // the lathe.json the command made is moved aside: Lathe never reads it as the project's; the .lathe stand-in, Lathe's
        // own folder, stays empty
        awaitGone(project.resolve("lathe.json"));
        assertThat(project.resolve(".lathe")).isEmptyDirectory();
        assertThat(project.resolve("lathe.json.sandbox-refused")).hasContent("{}");
        Process status = new ProcessBuilder("git", "status", "--porcelain").directory(project.toFile()).redirectErrorStream(true).start();
        assertThat(new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as("git still reads the repository")
                .contains("?? inside.txt").doesNotContain("fatal");
    }

    @Test
    void withTheSandboxOffTheSameCommandCreatesThemAll() {
        String out = bash(PLANT, launcher(SandboxConfig.Mode.OFF));

        assertThat(out).contains("wrote-hook", "wrote-git-config", "wrote-lathe-json", "wrote-dot-lathe", "wrote-user-config",
                "wrote-inside");
        assertThat(project.resolve(".git/hooks/pre-commit")).exists();
        assertThat(project.resolve(".lathe/lathe.json")).exists();
    }

    @Test
    void aPlaceholderStaysWhileAnyCommandUsingItRuns() throws Exception {
        bubblewrapWorks();
        SandboxLauncher on = launcher(SandboxConfig.Mode.ON);
        Path config = project.resolve("cfg");
        Process slow = on.launch(new ProcessBuilder("bash", "-c", "sleep 1.5; echo '{}' > cfg/lathe.json; echo rc=$?").directory(project.toFile())
                .redirectErrorStream(true));
        Process quick = on.launch(new ProcessBuilder("true").directory(project.toFile()));
        assertThat(quick.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200); // the quick command's release has run
        assertThat(Placeholders.holds(config)).as("the slow command still uses it").isTrue();
        assertThat(config).as("removing it now would unmount it inside the slow command").isEmptyDirectory();

        assertThat(slow.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Read-only file system").contains("rc=1");
        awaitReleased(config);
        assertThat(config).doesNotExist();
    }

    @Test
    void placeholdersAreOnlyForPathsACommandCouldCreate() throws Exception {
        // a worktree's .git is a file: nothing to guard under it; the user's config outside every writable folder: the
        // read-only root guards it already
        Files.walk(project.resolve(".git")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.writeString(project.resolve(".git"), "gitdir: /elsewhere\n");
        var layout = TestLayouts.of(project, project, tmp.resolve("home/.config/lathe"));
        var config = new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of());

        // no work-tree entry but Lathe's own .lathe gets a placeholder (it would show in every listing, issue 71): made by a
        // command, it is moved aside
        assertThat(layout.inWritableFolders(config)).extracting(SandboxLayout.Guarded::path).containsExactlyInAnyOrder(project.resolve(".lathe"));
        assertThat(layout.createdAfterwards(config)).containsExactlyInAnyOrder(project.resolve("lathe.json"), project.resolve("opencode.json"),
                project.resolve("opencode.jsonc"), project.resolve(".mcp.json"), project.resolve(".claude"), project.resolve(".codex"),
                project.resolve(".opencode"));
        Files.createDirectories(tmp.resolve("home/.config"));
        var writableHome = new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of(tmp.resolve("home").toString()));
        assertThat(layout.inWritableFolders(writableHome)).extracting(SandboxLayout.Guarded::path).contains(tmp.resolve("home/.config/lathe"));
    }

    /** What runs at a process's exit runs a moment after {@code waitFor} returns. */
    private static void awaitGone(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(path).as("moved aside").doesNotExist();
    }

    /** The release runs when the process's exit is seen, a moment after {@code waitFor} returns. */
    private static void awaitReleased(Path placeholder) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Placeholders.holds(placeholder) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(Placeholders.holds(placeholder)).as("released %s", placeholder).isFalse();
    }
}
