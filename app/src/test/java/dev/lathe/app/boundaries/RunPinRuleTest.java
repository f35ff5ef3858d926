package dev.lathe.app.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins checked at the moment of execution (DESIGN §24), read from the sources: every main file that starts a process
 * either asks a trust pin first ({@code .refusal(}: {@code RunPin}, or the MCP start check built from it) or is named
 * below with why what it starts is not something a project defines. A new way to start a hook, an MCP server, a
 * language server or a plugin's script that skips the pin fails here.
 */
class RunPinRuleTest {
    /** Starting a process, in any of the forms main code uses. */
    static final Pattern STARTS = Pattern.compile("\\bnew\\s+ProcessBuilder\\s*\\(|Runtime\\s*\\.\\s*getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exec\\b"
            + "|\\bStdioConnector\\s*\\.\\s*connect\\s*\\(|\\bServerParameters\\s*\\.\\s*builder\\s*\\(");

    /** Asking a pin (or the start check made of pins) before the start. */
    static final Pattern ASKS_PIN = Pattern.compile("\\.\\s*refusal\\s*\\(");

    /** Files that start processes no project defines, by path below the repository, with why. */
    static final Map<String, String> NOT_PROJECT_DEFINED = Map.ofEntries(
            Map.entry("app/src/main/java/dev/lathe/app/WebCommand.java", "opens the user's browser"),
            Map.entry("app/src/main/java/dev/lathe/app/release/ScriptInstall.java", "lathe upgrade: sh with the install script Lathe's own jar carries"),
            Map.entry("bench/src/main/java/dev/lathe/bench/GrepBench.java", "benchmark"),
            Map.entry("bench/src/main/java/dev/lathe/bench/ServeProcess.java", "benchmark"),
            Map.entry("bench/src/main/java/dev/lathe/bench/WorktreeBench.java", "benchmark"),
            Map.entry("client/src/main/java/dev/lathe/client/LocalDaemon.java", "starts Lathe's own daemon"),
            Map.entry("core/src/main/java/dev/lathe/core/acpagent/AgentConnection.java",
                    "an ACP agent: a project's is admitted by the trust gate when the configuration is read; not yet pinned at each start"),
            Map.entry("core/src/main/java/dev/lathe/core/context/Environment.java", "git/uname probes for the system prompt"),
            Map.entry("core/src/main/java/dev/lathe/core/git/HostGit.java", "git config, hardened"),
            Map.entry("core/src/main/java/dev/lathe/core/mcp/CodeSandbox.java",
                    "Code Mode: node under bubblewrap from the server's PATH, running Lathe's own runner on the model's script (like the bash tool's commands)"),
            Map.entry("core/src/main/java/dev/lathe/core/git/ReviewDiff.java", "git diff for a review, under HostGit's options, no external diff or textconv"),
            Map.entry("core/src/main/java/dev/lathe/core/git/GitRun.java", "git diff for a review or a session's diff, under HostGit's options"),
            Map.entry("core/src/main/java/dev/lathe/core/notify/NoticeCommand.java", "the notify command of the user's own config (a project's is dropped)"),
            Map.entry("core/src/main/java/dev/lathe/core/offline/InstalledProgram.java", "a program's --version"),
            Map.entry("core/src/main/java/dev/lathe/core/permission/TrackedFiles.java", "git ls-files"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/GitFetch.java", "git clone when the user installs a plugin or adds a marketplace"),
            Map.entry("core/src/main/java/dev/lathe/core/claudeplugin/NpmRegistry.java", "npm view when the user installs a plugin: pins its launches"),
            Map.entry("core/src/main/java/dev/lathe/core/sandbox/Bubblewrap.java", "probes bubblewrap"),
            Map.entry("core/src/main/java/dev/lathe/core/snapshot/Snapshots.java", "git for snapshots"),
            Map.entry("core/src/main/java/dev/lathe/core/worktree/GitRun.java", "git for worktrees"),
            // started only through OpenLanguageServers, whose start predicate is LspPins.admits (RunPin.approvedNow): checked below
            Map.entry("lsp/src/main/java/dev/lathe/lsp/ServerConnection.java", "a language server: gated by OpenLanguageServers"),
            Map.entry("mcp/src/main/java/dev/lathe/mcp/connect/ProcessGroup.java", "kill"),
            // called only from ServerSupervisor, which asks its start check (the project's pins) first
            Map.entry("mcp/src/main/java/dev/lathe/mcp/connect/StdioConnector.java", "the MCP transport: reached from ServerSupervisor"),
            Map.entry("mcp/src/main/java/dev/lathe/mcp/oauth/SystemBrowser.java", "opens the user's browser"),
            Map.entry("testkit/src/main/java/dev/lathe/testkit/PostgresCluster.java", "tests"),
            Map.entry("testkit/src/main/java/dev/lathe/testkit/SelfSignedHttps.java", "tests"),
            Map.entry("testkit/src/main/java/dev/lathe/testkit/SmallFileSystem.java", "tests"),
            Map.entry("testkit/src/main/java/dev/lathe/testkit/TempWorkspace.java", "tests"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/GitHardening.java", "git config, hardened"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessGroups.java", "the bash tool: the model's commands, sandboxed and asked"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessWatchdog.java", "kill"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/ProcessTree.java", "kill"),
            Map.entry("tools/src/main/java/dev/lathe/tools/builtin/Ripgrep.java", "ripgrep for grep/glob"),
            Map.entry("tui/src/main/java/dev/lathe/tui/McpCommands.java", "opens the user's browser"),
            Map.entry("run/src/main/java/dev/lathe/run/github/Checkout.java", "git of lathe github run: hooks, fsmonitor, system and user config off, own environment"));

    /** The main files under {@code root} that start a process without asking a pin and are not named as not project-defined. */
    static List<String> unpinnedStarts(Path root) {
        return WiringTest.mainSources(root).filter(f -> !WiringTest.find(root, java.util.stream.Stream.of(f), STARTS).isEmpty())
                .filter(f -> WiringTest.find(root, java.util.stream.Stream.of(f), ASKS_PIN).isEmpty())
                .map(f -> root.relativize(f).toString().replace('\\', '/')).filter(f -> !NOT_PROJECT_DEFINED.containsKey(f)).sorted().toList();
    }

    @Test
    void everyProcessStartAsksAPinOrIsNamedAsNotProjectDefined() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(unpinnedStarts(root)).as("starts a process without asking a RunPin (hook, MCP, LSP, plugin, script tool) first").isEmpty();
        assertThat(WiringTest.find(root, WiringTest.mainSources(root), STARTS)).as("the starts that ask a pin")
                .extracting(h -> h.file().toString().replace('\\', '/'))
                .contains("core/src/main/java/dev/lathe/core/hooks/HandlerRunner.java", "core/src/main/java/dev/lathe/core/plugin/ScriptTool.java",
                        "mcp/src/main/java/dev/lathe/mcp/ServerSupervisor.java");
    }

    @Test
    void theGatedStartersAreReachedOnlyThroughTheirGates() {
        Path root = ModuleBoundariesTest.repositoryRoot();
        assertThat(WiringTest.find(root, WiringTest.mainSources(root), Pattern.compile("\\bStdioConnector\\s*\\.\\s*connect\\s*\\(")))
                .extracting(h -> h.file().getFileName().toString()).containsOnly("ServerSupervisor.java");
        assertThat(read(root.resolve("core/src/main/java/dev/lathe/core/lsp/OpenLanguageServers.java"))).contains("LspPins.admits(");
        assertThat(read(root.resolve("core/src/main/java/dev/lathe/core/lsp/LspPins.java"))).contains("RunPin.approvedNow(");
    }

    @Test
    void findsAHookStartedAroundThePin(@TempDir Path root) throws IOException {
        Path hooks = Files.createDirectories(root.resolve("core/src/main/java/x"));
        Files.writeString(hooks.resolve("SneakyHook.java"), """
                class SneakyHook {
                    Process run(String cmd) throws Exception { return new ProcessBuilder("bash", "-c", cmd).start(); } // .refusal( in a comment
                }
                """);
        Files.writeString(hooks.resolve("PinnedHook.java"), """
                class PinnedHook {
                    Process run(x.RunPin pin, String cmd) throws Exception {
                        if (pin.refusal().isPresent()) return null;
                        return new ProcessBuilder("bash", "-c", cmd).start();
                    }
                }
                """);
        assertThat(unpinnedStarts(root)).containsExactly("core/src/main/java/x/SneakyHook.java");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
