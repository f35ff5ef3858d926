package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end with real git: a hostile repository's helpers run under plain git, and none of them runs through bash. */
class GitHardeningTest {
    @TempDir Path tmp;

    @Test
    void repositoryConfiguredHelpersNeverRunThroughBash() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "hello\n");
        Files.writeString(repo.resolve("b.dat"), "data\n");
        Files.writeString(repo.resolve(".gitattributes"), "a.txt diff=evil\nb.dat filter=evil\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
        for (String helper : List.of("fsmonitor", "pager", "external", "textconv", "clean")) {
            Path script = tmp.resolve(helper + ".sh");
            // each helper leaves a marker and behaves well enough that git goes on
            Files.writeString(script, "#!/bin/sh\ntouch '" + markers.resolve(helper) + "'\n" + (helper.equals("fsmonitor") ? "exit 1\n" : "cat \"${1:--}\" 2>/dev/null || cat\n"));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        git(repo, "config", "core.fsmonitor", tmp.resolve("fsmonitor.sh").toString());
        git(repo, "config", "core.pager", tmp.resolve("pager.sh").toString());
        git(repo, "config", "diff.external", tmp.resolve("external.sh").toString());
        git(repo, "config", "diff.evil.textconv", tmp.resolve("textconv.sh").toString());
        git(repo, "config", "filter.evil.clean", tmp.resolve("clean.sh").toString());
        Files.writeString(repo.resolve("a.txt"), "hello\nchanged\n");
        Files.writeString(repo.resolve("b.dat"), "data\nchanged\n");
        String commands = "git status --short; git diff; git log -p; git diff --cached; git show HEAD";

        // the setup is hostile for real: plain git runs the helpers
        sh(repo, commands);
        assertThat(marks(markers)).contains("fsmonitor", "external", "textconv", "clean");
        try (Stream<Path> files = Files.list(markers)) {
            for (Path f : files.toList()) Files.delete(f);
        }

        var ctx = ToolContext.builder(repo, RecordingPermissions.allowing()).session("ses_g").call("call_g").output(tmp.resolve("out")).build();
        ToolResult r = new ToolExecutor(ToolRegistry.builtins()).execute("bash",
                "{\"command\":\"" + commands + "; git config core.pager\"}", ctx);
        assertThat(marks(markers)).isEmpty();
        assertThat(r.output()).contains(" M a.txt").contains("+changed").contains("exit code: 0").doesNotContain("external diff died");
        assertThat(r.output().strip().lines().toList()).containsSubsequence("cat", "exit code: 0");
    }

    /**
     * A repository nested in the project (what a sandboxed command can make: {@code sub/.git} is not the project's and
     * not guarded) with a program in its fsmonitor, editor, pager, textconv, clean filter, sshCommand and a pre-commit
     * hook: the model's bash command that cd's into it and runs git (status, diff, commit, log) runs none of them,
     * while plain git there runs them (the attack is real). Markers outside the project are the evidence.
     */
    @Test
    void aNestedRepositorysProgramsAndHooksNeverRunThroughBash() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        git(project, "init", "-q");
        Path sub = Files.createDirectories(project.resolve("vendor/sub"));
        git(sub, "init", "-q");
        Files.writeString(sub.resolve("a.txt"), "hello\n");
        Files.writeString(sub.resolve("b.dat"), "data\n");
        Files.writeString(sub.resolve(".gitattributes"), "a.txt diff=evil\nb.dat filter=evil\n");
        for (String helper : List.of("fsmonitor", "pager", "textconv", "clean", "hook", "editor")) {
            Path script = tmp.resolve(helper + ".sh");
            Files.writeString(script, "#!/bin/sh\ntouch '" + markers.resolve(helper) + "'\n" + (helper.equals("fsmonitor") ? "exit 1\n"
                    : helper.equals("hook") || helper.equals("editor") ? "exit 0\n" : "cat \"${1:--}\" 2>/dev/null || cat\n"));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        git(sub, "config", "core.fsmonitor", tmp.resolve("fsmonitor.sh").toString());
        git(sub, "config", "core.pager", tmp.resolve("pager.sh").toString());
        git(sub, "config", "core.editor", tmp.resolve("editor.sh").toString());
        git(sub, "config", "diff.evil.textconv", tmp.resolve("textconv.sh").toString());
        git(sub, "config", "filter.evil.clean", tmp.resolve("clean.sh").toString());
        Files.copy(tmp.resolve("hook.sh"), sub.resolve(".git/hooks/pre-commit"));
        String commands = "cd vendor/sub && git add -A && git -c user.name=t -c user.email=t@t commit -qm one && echo more >> a.txt"
                + " && git status --short && git diff && git log -p | head -5 && git -c user.name=t -c user.email=t@t commit -qa";

        // the setup is hostile for real: plain git runs the helpers and the hook
        sh(project, commands);
        assertThat(marks(markers)).contains("fsmonitor", "textconv", "clean", "hook", "editor");
        try (Stream<Path> files = Files.list(markers)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        git(sub, "update-ref", "-d", "HEAD");
        Files.writeString(sub.resolve("a.txt"), "hello\n");

        var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session("ses_g").call("call_g").output(tmp.resolve("out")).build();
        ToolResult r = new ToolExecutor(ToolRegistry.builtins()).execute("bash", "{\"command\":\"" + commands.replace("\"", "\\\"") + "\"}", ctx);
        assertThat(marks(markers)).as(r.output()).isEmpty();
        assertThat(r.output()).contains(" M a.txt").contains("+more");
    }

    @Test
    void outsideARepositoryOnlyTheStaticOverridesApply() {
        var env = new java.util.HashMap<String, String>(java.util.Map.of("GIT_EXTERNAL_DIFF", "/x", "GIT_CONFIG_COUNT", "1",
                "GIT_CONFIG_KEY_0", "user.name", "GIT_CONFIG_VALUE_0", "me"));
        ChildEnvironment.scrub(env, Set.of(), tmp);
        assertThat(env).doesNotContainKey("GIT_EXTERNAL_DIFF").containsEntry("GIT_CONFIG_COUNT", "3")
                .containsEntry("GIT_CONFIG_KEY_0", "user.name").containsEntry("GIT_CONFIG_KEY_1", "core.fsmonitor")
                .containsEntry("GIT_CONFIG_VALUE_1", "false").containsEntry("GIT_CONFIG_KEY_2", "core.pager").containsEntry("GIT_PAGER", "cat");
    }

    private static List<String> marks(Path markers) throws Exception {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", cmd)).isTrue();
    }

    private static void sh(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
