package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.context.Environment;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository a sandboxed command makes inside the project: its {@code .git/config} is not the project's (which the
 * sandbox keeps read-only), so the command can name a program in every key git runs one for, and add the repository to
 * the project's index as a submodule. Lathe's own git commands outside the sandbox — the environment note's status
 * (in the project and in the nested repository, where a later session may be opened), snapshots, worktrees — must
 * never run it. Real bubblewrap makes the repository, real git is run by Lathe; the evidence is a marker file outside
 * the project that the program would write.
 */
class NestedRepositoryTest {
    @TempDir Path tmp;

    @Test
    void noGitCommandOfLatheRunsAProgramARepositoryMadeInTheSandboxConfigured() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        Path project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        git(project, "init", "-q", "-b", "main");
        Files.writeString(project.resolve("a.txt"), "a\n");
        git(project, "add", "a.txt");
        git(project, "commit", "-qm", "first");

        var launcher = new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()),
                TestLayouts.of(project, project, tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())), "ses_nested", ProcessLauncher.DIRECT,
                Optional::empty);
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_nested").call("call_nested").output(tmp.resolve("out"))
                .launcher(launcher).build();
        String g = "git -c user.name=T -c user.email=t@lathe.invalid -c commit.gpgsign=false ";
        String evil = project.resolve("evil.sh").toString();
        String script = String.join("\n",
                "printf '#!/bin/sh\\ntouch " + outside + "/ran-$1\\ncat\\n' > evil.sh && chmod +x evil.sh",
                "mkdir -p hooks && printf '#!/bin/sh\\ntouch " + outside + "/ran-hook-$(basename $0)\\n' > hooks/post-checkout"
                        + " && cp hooks/post-checkout hooks/pre-commit && cp hooks/post-checkout hooks/post-merge && chmod +x hooks/*",
                "git init -q sub && cd sub && echo hi > f && " + g + "add f && " + g + "commit -qm sub",
                "git config core.fsmonitor '" + evil + " fsmonitor'",
                "git config core.hooksPath '" + project.resolve("hooks") + "'",
                "git config filter.x.clean '" + evil + " clean' && git config filter.x.smudge '" + evil + " smudge'",
                "git config diff.x.textconv '" + evil + " textconv' && git config core.pager '" + evil + " pager'",
                "echo 'f filter=x diff=x' > .git/info/attributes",
                "cd .. && git add sub a.txt && echo ADDED");
        String out = new ToolExecutor(ToolRegistry.builtins()).execute("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(script) + "}", ctx)
                .output();
        assertThat(out).contains("ADDED");
        Path sub = project.resolve("sub");
        assertThat(sub.resolve(".git/config")).content().contains("fsmonitor");

        // each git run below finds sub/f changed by time only, so git must look at its content (and would filter it)
        Environment.describe(project, project); nothingRan(outside, "step 0");
        touch(sub.resolve("f"), 1);
        Environment.describe(sub, sub); nothingRan(outside, "step 1");
        touch(sub.resolve("f"), 2);
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        String before = snapshots.track().orElseThrow(); nothingRan(outside, "step 2");
        touch(sub.resolve("f"), 3);
        Files.writeString(project.resolve("a.txt"), "b\n");
        snapshots.diff(before, snapshots.track().orElseThrow(), List.of()); nothingRan(outside, "step 3");
        touch(sub.resolve("f"), 4);
        new Worktrees(_ -> Optional.empty()).create(project, Optional.of("w1"), Worktrees.BaseRef.HEAD); nothingRan(outside, "step 4");
        touch(sub.resolve("f"), 5);
        new Worktrees(_ -> Optional.empty()).create(sub, Optional.of("w2"), Worktrees.BaseRef.HEAD); nothingRan(outside, "step 5");

        try (var ran = Files.list(outside)) {
            assertThat(ran.map(p -> p.getFileName().toString()).toList()).as("programs the nested repository configured that ran").isEmpty();
        }
        // the contrast: plain git in the project does run them, so the attack above is real
        touch(sub.resolve("f"), 6);
        git(project, "status");
        assertThat(outside.resolve("ran-fsmonitor")).exists();
    }

    private static void nothingRan(Path outside, String step) throws Exception {
        try (var ran = Files.list(outside)) {
            assertThat(ran.map(p -> p.getFileName().toString()).toList()).as("programs the nested repository configured that ran by " + step).isEmpty();
        }
    }

    private static void touch(Path file, int year) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse((2000 + year) + "-01-01T00:00:00Z")));
    }

    private static void git(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=T", "-c", "user.email=t@lathe.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
