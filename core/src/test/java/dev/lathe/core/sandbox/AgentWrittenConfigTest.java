package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.permission.ProtectedPaths;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config that makes Lathe (or git) run code, written by a sandboxed command itself: for every entry of the one
 * protected list ({@link ProtectedPaths#ENTRIES}), with real bubblewrap and bash in a git repository, a command tries
 * every way of making or changing it — create it, create it inside a folder that does not exist yet, append to it,
 * replace it by a rename, remove it, link it elsewhere — and none gets through: the host sees the user's files as they
 * were, no file the command made under a protected name, and no stand-in left once the command has ended. The one
 * entry a plain {@code ls} would show a stand-in for ({@code lathe.json}) is moved aside when the command ends. With the
 * sandbox off the same script writes them (the contrast: the script does what it says).
 */
class AgentWrittenConfigTest {
    /** The missing files a command may create that are moved aside when it ends (no placeholder would be invisible). */
    private static final java.util.List<String> MOVED_ASIDE = java.util.List.of("lathe.json", "opencode.json", "opencode.jsonc", ".git/commondir",
            ".mcp.json", ".claude", ".codex", ".opencode");

    @TempDir Path tmp;
    Path project;

    final ToolCallPipeline pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT);

    @BeforeEach
    void repository() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
        Process git = new ProcessBuilder("git", "init", "-q").directory(project.toFile()).inheritIO().start();
        assertThat(git.waitFor()).isZero();
    }

    /** A project-relative path of {@code e}. */
    private static String path(ProtectedPaths.Entry e) {
        return e.base() == ProtectedPaths.Base.GIT_DIR ? ".git/" + e.name() : e.name();
    }

    /** Every attack on every entry; each prints {@code wrote[<path>]} only when it succeeded. */
    private static String attacks() {
        List<String> lines = new ArrayList<>();
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            String p = path(e);
            if (e.kind() == ProtectedPaths.Kind.FOLDER) {
                lines.add("mkdir -p '" + p + "/sub' 2>/dev/null && echo 'echo pwned' > '" + p + "/sub/settings.json' 2>/dev/null && echo 'wrote[" + p + "]/sub'");
                lines.add("echo '{\"hooks\":1}' > '" + p + "/settings.json' 2>/dev/null && echo 'wrote[" + p + "]/settings.json'");
                lines.add("mkdir -p decoy-dir && echo x > decoy-dir/f && mv -T decoy-dir '" + p + "' 2>/dev/null && echo 'wrote[" + p + "] by rename'");
            } else {
                lines.add("echo '{\"mcpServers\":{}}' >> '" + p + "' 2>/dev/null && echo 'wrote[" + p + "]'");
                lines.add("echo x > decoy-file && mv -fT decoy-file '" + p + "' 2>/dev/null && echo 'wrote[" + p + "] by rename'");
                lines.add("ln -sfT /tmp/elsewhere '" + p + "' 2>/dev/null && echo 'wrote[" + p + "] as a link'");
            }
            lines.add("rm -rf '" + p + "' 2>/dev/null; [ -e '" + p + "' ] || echo 'wrote[" + p + "] removed'");
        }
        // .git moved aside takes its guarded hooks and config with it: a folder of the command's own would take its place
        lines.add("mv -T .git .git-moved 2>/dev/null && echo 'wrote[.git] by rename'");
        lines.add("echo ordinary > ordinary.txt && echo wrote-ordinary");
        return String.join("\n", lines);
    }

    private SandboxLauncher launcher(SandboxConfig.Mode mode) {
        return new SandboxLauncher(new SandboxConfig(mode, new SandboxConfig.Network.Off(), List.of()), TestLayouts.of(project, project, tmp.resolve("cfg")),
                () -> List.of(new Ruleset(List.of())), "ses_awc_" + mode, ProcessLauncher.DIRECT, Optional::empty);
    }

    private String bash(String command, SandboxLauncher launcher) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_awc").call("call_awc").output(tmp.resolve("out"))
                .launcher(launcher).build();
        return pipeline.run(ToolCall.of("bash", "{\"command\":" + dev.lathe.protocol.wire.WireJson.write(command) + "}", ctx, Origin.MODEL),
                PartRecorder.NONE).output();
    }

    private static void bubblewrapWorks() {
        assumeTrue(Bubblewrap.problem().isEmpty(), () -> "bubblewrap does not work here: " + Bubblewrap.problem().orElseThrow());
    }

    @Test
    void noEntryOfTheProtectedListCanBeCreatedWhenMissing() throws Exception {
        bubblewrapWorks();
        // git init made hooks and config; the rest is missing
        Set<String> before = topLevel();

        String out = bash(attacks(), launcher(SandboxConfig.Mode.ON));

        assertThat(out).contains("wrote-ordinary");
        awaitNoPlaceholders();
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            String p = path(e);
            if (MOVED_ASIDE.contains(p)) continue; // moved aside when the command ends: below
            assertThat(out).as("output of the attacks on %s", p).doesNotContain("wrote[" + p + "]");
        }
        assertThat(out).doesNotContain("wrote[.git]");
        for (String p : MOVED_ASIDE) awaitGone(project.resolve(p));
        // the host sees the ordinary file, the refused lathe.json, the decoys the renames left, Lathe's own .lathe folder
        // (its stand-in stays); no other stand-in remains
        Set<String> after = topLevel();
        after.removeAll(Set.of("ordinary.txt", "decoy-dir", "decoy-file", ".lathe"));
        after.removeIf(n -> MOVED_ASIDE.stream().anyMatch(p -> n.startsWith(p + ".sandbox-refused")));
        assertThat(after).isEqualTo(before);
        assertThat(project.resolve(".git/hooks")).isDirectory();
        try (Stream<Path> hooks = Files.list(project.resolve(".git/hooks"))) {
            assertThat(hooks.map(h -> h.getFileName().toString())).allMatch(n -> n.endsWith(".sample"));
        }
        assertThat(Files.readString(project.resolve(".git/config"))).doesNotContain("mcpServers");
        assertThat(project.resolve(".git/config.worktree")).isEmptyFile(); // git's own kind of stand-in: an empty config
    }

    /**
     * Issue 71: a listing inside the sandbox shows only what the project holds (no stand-in for a missing {@code .claude},
     * {@code .codex}, {@code .opencode}, no {@code .mcp.json} folder), reading a missing {@code .mcp.json} says it does not
     * exist, and config a command creates is moved aside while the command still runs, not only when it ends.
     */
    @Test
    void missingConfigShowsNowhereAndWhatACommandCreatesGoesAtOnce() throws Exception {
        bubblewrapWorks();
        Files.createDirectories(project.resolve(".lathe"));
        String script = String.join("\n",
                "ls -A | tr '\\n' ' '; echo",
                "cat .mcp.json",
                // moved aside so soon that the write into it may already fail
                "mkdir .claude && echo made; echo '{\"hooks\":1}' > .claude/settings.json",
                "echo '{}' > .mcp.json",
                "for i in $(seq 100); do [ -e .claude ] || [ -e .mcp.json ] || break; sleep 0.05; done",
                "[ -e .claude ] || [ -e .mcp.json ] || echo gone-while-running");

        String out = bash(script, launcher(SandboxConfig.Mode.ON));

        String listing = out.lines().findFirst().orElseThrow();
        assertThat(listing.split(" ")).containsExactlyInAnyOrder(".git", ".lathe");
        assertThat(out).contains(".mcp.json: No such file or directory").doesNotContain("Is a directory")
                .contains("made").contains("gone-while-running");
        assertThat(project.resolve(".claude")).doesNotExist();
        assertThat(project.resolve(".claude.sandbox-refused")).isDirectory();
        assertThat(project.resolve(".mcp.json")).doesNotExist();
    }

    @Test
    void noEntryOfTheProtectedListCanBeChangedOrRemovedWhenPresent() throws Exception {
        bubblewrapWorks();
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            Path p = project.resolve(path(e));
            if (e.kind() == ProtectedPaths.Kind.FOLDER) {
                Files.createDirectories(p);
                Files.writeString(p.resolve("keep.md"), "the user's");
            } else {
                Files.writeString(p, "the user's " + e.name());
            }
        }

        String out = bash(attacks(), launcher(SandboxConfig.Mode.ON));

        assertThat(out).contains("wrote-ordinary").doesNotContain("wrote[");
        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) {
            Path p = project.resolve(path(e));
            if (e.kind() == ProtectedPaths.Kind.FOLDER) {
                try (Stream<Path> files = Files.list(p)) {
                    List<String> names = files.map(f -> f.getFileName().toString()).toList();
                    if (e.base() == ProtectedPaths.Base.GIT_DIR) assertThat(names).as(path(e)).contains("keep.md").allMatch(n -> n.equals("keep.md") || n.endsWith(".sample"));
                    else assertThat(names).as(path(e)).containsExactly("keep.md");
                }
                assertThat(p.resolve("keep.md")).hasContent("the user's");
            } else {
                assertThat(p).as(path(e)).isRegularFile().hasContent("the user's " + e.name());
            }
        }
    }

    @Test
    void withTheSandboxOffTheSameScriptWritesThem() {
        String out = bash(attacks(), launcher(SandboxConfig.Mode.OFF));

        for (ProtectedPaths.Entry e : ProtectedPaths.ENTRIES) assertThat(out).contains("wrote[" + path(e) + "]");
    }

    private Set<String> topLevel() throws Exception {
        try (Stream<Path> s = Files.list(project)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Placeholders are released when the process's exit is seen, a moment after the tool returns. */
    private void awaitNoPlaceholders() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProtectedPaths.ENTRIES.stream().anyMatch(e -> Placeholders.holds(project.resolve(path(e)))) && System.nanoTime() < deadline) Thread.sleep(20);
    }

    private static void awaitGone(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(path).as("moved aside").doesNotExist();
    }
}
