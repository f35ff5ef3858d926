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
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's worktree as the sandbox's project (DESIGN §19, real bubblewrap): git can commit on the worktree's own
 * branch, while the main checkout's files, its config and other branches stay out of reach.
 */
class WorktreeSandboxTest {
    @TempDir Path tmp;

    @Test
    void gitCommitsInTheWorktreeButNothingElseOfTheMainCheckoutIsWritable() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        // outside /tmp, which the sandbox replaces with a private one
        try (var ws = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-worktrees")))) {
            ws.write("a.txt", "main\n").initGitRepo();
            ws.git("branch", "other");
            Path wt = Path.of(new Worktrees(_ -> Optional.empty()).create(ws.path(), Optional.of("boxed"), Worktrees.BaseRef.HEAD).path());
            var launcher = new SandboxLauncher(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()),
                    TestLayouts.of(wt, dev.lathe.core.project.ProjectRoot.repoRoot(wt), tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())),
                    "ses_wt", ProcessLauncher.DIRECT, Optional::empty);
            String git = "git -c user.name=T -c user.email=t@lathe.invalid -c commit.gpgsign=false ";
            ToolResult r = bash(wt, launcher, "echo new > b.txt && " + git + "add b.txt && " + git + "commit -qm inside && echo COMMITTED; "
                    + "echo x >> " + ws.resolve("a.txt") + " || echo MAIN-REFUSED; "
                    + "echo '[core]' >> " + ws.resolve(".git/config") + " || echo CONFIG-REFUSED; "
                    + git + "branch -f other HEAD || echo OTHER-REFUSED");
            assertThat(r.output()).contains("COMMITTED").contains("MAIN-REFUSED").contains("CONFIG-REFUSED").contains("OTHER-REFUSED");
            assertThat(ws.git("log", "-1", "--format=%s", "lathe/boxed").strip()).isEqualTo("inside");
            assertThat(ws.read("a.txt")).isEqualTo("main\n");
            assertThat(ws.git("rev-parse", "other")).isEqualTo(ws.git("rev-parse", "main"));
        }
    }

    /**
     * The worktree's own git admin folder ({@code .git/worktrees/NAME}) is writable for git's index and HEAD, but what
     * a later plain {@code git} in the worktree would run is not: its {@code config.worktree} (missing: a stand-in),
     * {@code commondir}, the worktree's {@code .git} file (which names the admin folder), and, from the main checkout,
     * {@code .git/config}, {@code .git/hooks/x} and {@code .git/worktrees/NAME/config.worktree}.
     */
    @Test
    void aSandboxedCommandCannotPlantGitConfigForTheWorktree() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        try (var ws = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-worktrees")))) {
            ws.write("a.txt", "main\n").initGitRepo();
            Path wt = Path.of(new Worktrees(_ -> Optional.empty()).create(ws.path(), Optional.of("planted"), Worktrees.BaseRef.HEAD).path());
            Path admin = ws.path().resolve(".git/worktrees/planted");
            SandboxConfig on = new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of());
            var inWorktree = new SandboxLauncher(on, TestLayouts.of(wt, dev.lathe.core.project.ProjectRoot.repoRoot(wt), tmp.resolve("cfg")),
                    () -> List.of(new Ruleset(List.of())), "ses_wt", ProcessLauncher.DIRECT, Optional::empty);
            String plant = "[core]\n\tfsmonitor = touch " + tmp.resolve("owned");
            ToolResult r = bash(wt, inWorktree, "printf '" + plant + "' > " + admin.resolve("config.worktree") + " || echo WT-CONFIG-REFUSED; "
                    + "echo " + tmp + " > " + admin.resolve("commondir") + " || echo COMMONDIR-REFUSED; "
                    + "echo 'gitdir: /tmp' > .git || echo DOTGIT-REFUSED; "
                    + "git status --short >/dev/null && echo GIT-WORKS");
            assertThat(r.output()).contains("WT-CONFIG-REFUSED", "COMMONDIR-REFUSED", "DOTGIT-REFUSED", "GIT-WORKS");
            assertThat(admin.resolve("config.worktree")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
            assertThat(java.nio.file.Files.readString(wt.resolve(".git"))).startsWith("gitdir:").doesNotContain("/tmp\n");

            var inMain = new SandboxLauncher(on, TestLayouts.of(ws.path(), ws.path(), tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())),
                    "ses_main", ProcessLauncher.DIRECT, Optional::empty);
            ToolResult m = bash(ws.path(), inMain, "printf '" + plant + "' > .git/worktrees/planted/config.worktree || echo WT-CONFIG-REFUSED; "
                    + "echo '[core]' >> .git/config || echo CONFIG-REFUSED; "
                    + "printf '#!/bin/sh\ntouch " + tmp.resolve("owned") + "' > .git/hooks/x || echo HOOK-REFUSED");
            assertThat(m.output()).contains("WT-CONFIG-REFUSED", "CONFIG-REFUSED", "HOOK-REFUSED");
            ws.git("-C", wt.toString(), "status");
            assertThat(tmp.resolve("owned")).doesNotExist();
        }
    }

    /**
     * A submodule's git folder ({@code .git/modules/NAME}) holds the config and hooks a plain {@code git status} in the
     * main checkout runs (it recurses into submodules): a sandboxed command must not be able to plant them, whether or
     * not the folder exists yet (a submodule added later lands under the same read-only entry).
     */
    @Test
    void aSandboxedCommandCannotPlantGitConfigForASubmodule() throws Exception {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
        try (var lib = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-submodule-lib")));
             var ws = TempWorkspace.createIn(TempWorkspace.outsideTmp(Path.of("target", "sandbox-submodules")))) {
            lib.write("lib.txt", "lib\n").initGitRepo();
            ws.write("a.txt", "main\n").initGitRepo();
            ws.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.path().toString(), "x");
            Path module = ws.path().resolve(".git/modules/x");
            assertThat(module.resolve("config")).exists();
            SandboxConfig on = new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of());
            var inMain = new SandboxLauncher(on, TestLayouts.of(ws.path(), ws.path(), tmp.resolve("cfg")), () -> List.of(new Ruleset(List.of())),
                    "ses_sub", ProcessLauncher.DIRECT, Optional::empty);
            String owned = tmp.resolve("owned-by-submodule").toString();
            ToolResult r = bash(ws.path(), inMain, "git config -f .git/modules/x/config core.fsmonitor 'touch " + owned + "; false' || echo MODULE-CONFIG-REFUSED; "
                    + "printf '#!/bin/sh\ntouch " + owned + "' > .git/modules/x/hooks/post-checkout || echo MODULE-HOOK-REFUSED; "
                    + "mkdir -p .git/modules/y && echo planted > .git/modules/y/config || echo NEW-MODULE-REFUSED");
            assertThat(r.output()).contains("MODULE-CONFIG-REFUSED", "MODULE-HOOK-REFUSED", "NEW-MODULE-REFUSED");
            ws.git("status");
            assertThat(Path.of(owned)).doesNotExist();
            assertThat(java.nio.file.Files.readString(module.resolve("config"))).doesNotContain("fsmonitor");
        }
    }

    private ToolResult bash(Path project, SandboxLauncher launcher, String command) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_wt").call("call_x").output(tmp.resolve("out")).launcher(launcher)
                .build();
        return new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT).run(ToolCall.of("bash",
                "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + ",\"timeout\":60000}", ctx, Origin.MODEL), PartRecorder.NONE);
    }
}
