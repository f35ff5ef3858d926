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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79, CVE-2026-26268's class: a sandboxed command writes the project's git hooks or config, and the hook then runs
 * outside the sandbox at the user's next {@code git commit}. In the main checkout (not a linked worktree), whose
 * {@code .git} holds existing hooks and config as {@code git init} leaves them, with the project the repository's root
 * or a folder inside it: every way a command could plant a hook (write one, copy a sample, point {@code core.hooksPath}
 * or an {@code include} at the project, an fsmonitor command, move or remove the hooks folder or the config) fails
 * under real bubblewrap, and the user's own commit afterwards runs nothing the command left. With the sandbox off the
 * same command plants the hook (the contrast, so the check can fail).
 */
class GitHooksSandboxTest {
    @TempDir Path tmp;

    final ToolCallPipeline pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT);

    /** Every route to a hook or a command git runs, each saying so when it worked; {@code MARK}: the file a hook would touch. */
    private static String attack(Path git, Path mark) {
        String g = git.toString();
        // the ones that move or remove put things back when they worked, so the unsandboxed contrast still has its hook
        return String.join("; ",
                "mv " + g + "/hooks " + g + "/hooks-old && echo PLANTED-moved-hooks && mv " + g + "/hooks-old " + g + "/hooks",
                "mv " + g + "/config " + g + "/config-old && echo PLANTED-moved-config && mv " + g + "/config-old " + g + "/config",
                "cp " + g + "/hooks/pre-commit.sample " + g + "/hooks/post-commit && echo PLANTED-copied-sample",
                "printf '#!/bin/sh\\ntouch " + mark + "\\n' > " + g + "/hooks/pre-commit && chmod +x " + g + "/hooks/pre-commit && echo PLANTED-hook",
                "mkdir -p evil && printf '#!/bin/sh\\ntouch " + mark + "\\n' > evil/pre-commit && chmod +x evil/pre-commit",
                "git config core.hooksPath \"$PWD/evil\" && echo PLANTED-hooks-path",
                "printf '[core]\\n\\thooksPath = '\"$PWD\"'/evil\\n' > inc.cfg; git config --local include.path \"$PWD/inc.cfg\" && echo PLANTED-include",
                "printf '[core]\\n\\tfsmonitor = touch " + mark + "\\n' >> " + g + "/config && echo PLANTED-fsmonitor",
                "printf '[core]\\n\\thooksPath = /tmp\\n' > " + g + "/config.worktree && echo PLANTED-worktree-config",
                "rm -f " + g + "/hooks/*.sample && echo PLANTED-removed-samples",
                "echo done");
    }

    private String bash(Path project, Path repo, String command, SandboxConfig.Mode mode) {
        var launcher = new SandboxLauncher(new SandboxConfig(mode, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, repo, tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())), "ses_githooks_" + mode,
                ProcessLauncher.DIRECT, Optional::empty);
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_gh").call("call_gh").output(tmp.resolve("out")).launcher(launcher)
                .build();
        return pipeline.run(ToolCall.of("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + "}", ctx, Origin.MODEL),
                PartRecorder.NONE).output();
    }

    private static String git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=U", "-c", "user.email=u@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** A main checkout with a commit, its .git as git init leaves it (sample hooks, a config). */
    private Path repository() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        git(repo, "add", "a.txt");
        git(repo, "commit", "-q", "-m", "first");
        assertThat(repo.resolve(".git/hooks/pre-commit.sample")).exists();
        return repo;
    }

    private void attackThenCommit(Path project, Path repo, SandboxConfig.Mode mode) throws Exception {
        Path mark = tmp.resolve("hook-ran");
        String out = bash(project, repo, attack(repo.resolve(".git"), mark), mode);
        assertThat(out).contains("done");
        // the user's next commit, outside any sandbox
        Files.writeString(repo.resolve("b.txt"), "b\n");
        git(repo, "add", "b.txt");
        git(repo, "commit", "-q", "-m", "second");
        if (mode == SandboxConfig.Mode.OFF) {
            assertThat(out).contains("PLANTED-hook");
            assertThat(mark).as("the contrast: unsandboxed, the planted hook runs at the user's commit").exists();
        } else {
            assertThat(out).doesNotContain("PLANTED");
            assertThat(mark).as("no hook or command the sandboxed command left ran at the user's commit").doesNotExist();
            assertThat(repo.resolve(".git/hooks/pre-commit")).doesNotExist();
            assertThat(Files.readString(repo.resolve(".git/config"))).doesNotContain("hooksPath", "fsmonitor", "include");
        }
    }

    private static void bubblewrapWorks() {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
    }

    @Test
    void aSandboxedCommandInTheMainCheckoutCannotPlantAHookOrGitConfig() throws Exception {
        bubblewrapWorks();
        Path repo = repository();
        attackThenCommit(repo, repo, SandboxConfig.Mode.ON);
    }

    @Test
    void norFromAProjectInASubfolderOfTheRepository() throws Exception {
        bubblewrapWorks();
        Path repo = repository();
        Path sub = Files.createDirectories(repo.resolve("service"));
        attackThenCommit(sub, repo, SandboxConfig.Mode.ON);
    }

    @Test
    void withTheSandboxOffTheSameCommandPlantsTheHook() throws Exception {
        Path repo = repository();
        attackThenCommit(repo, repo, SandboxConfig.Mode.OFF);
    }
}
