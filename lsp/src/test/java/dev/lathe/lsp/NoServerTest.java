package dev.lathe.lsp;

import static dev.lathe.lsp.LspTesting.ctx;
import static dev.lathe.lsp.LspTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.ToolFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a server for a language, edits get nothing appended, at once, and the lsp tool says why. */
class NoServerTest {
    @TempDir Path root;

    @Test
    void aLanguageWithoutAServerAddsNothingImmediately() throws Exception {
        write(root, "notes.xyz", "anything\n");
        write(root, "main.py", "print(undefined_name)\n");
        var missing = LspTesting.spec("pyright", List.of("no-such-language-server-28", "--stdio"), "py");
        // a report that waited for diagnostics would take the whole two-minute wait: "at once" is far below it on any
        // machine, however busy (a bound of 500 ms failed a CI run on a loaded two-core machine)
        var wait = java.time.Duration.ofMinutes(2);
        var settings = new LspSettings(true, Map.of("pyright", missing), false, wait);
        try (var servers = new ProjectLanguageServers(root, settings, Map.of("PATH", root.toString()), _ -> {})) {
            long t0 = System.nanoTime();
            assertThat(servers.diagnostics().report(List.of("notes.xyz", "main.py"), ctx(root))).isEmpty();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("without a server, no wait for diagnostics").isLessThan(wait.dividedBy(2));
            assertThat(servers.status()).containsExactly(new LspServerStatus("pyright", LspServerStatus.NOT_FOUND,
                    "no-such-language-server-28 --stdio", Optional.of("no-such-language-server-28 is not on PATH")));
            assertThat(servers.runners()).isEmpty();

            LspTool tool = new LspTool(servers);
            assertThatThrownBy(() -> tool.run(new LspTool.Args("hover", Optional.of("notes.xyz"), Optional.of(1), Optional.of(1), Optional.empty()), ctx(root)))
                    .isInstanceOf(ToolFailure.class).hasMessage("No language server for notes.xyz: no language server handles notes.xyz.");
            assertThatThrownBy(() -> tool.run(new LspTool.Args("definition", Optional.of("main.py"), Optional.of(1), Optional.of(1), Optional.empty()), ctx(root)))
                    .isInstanceOf(ToolFailure.class)
                    .hasMessage("No language server for main.py: pyright is not installed (no-such-language-server-28 not found).");
            assertThatThrownBy(() -> tool.run(new LspTool.Args("workspaceSymbol", Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("greet")), ctx(root)))
                    .isInstanceOf(ToolFailure.class).hasMessageContaining("No language server is running yet");
            assertThatThrownBy(() -> tool.run(new LspTool.Args("rename", Optional.of("main.py"), Optional.empty(), Optional.empty(), Optional.empty()), ctx(root)))
                    .isInstanceOf(ToolFailure.class).hasMessageStartingWith("Unknown operation 'rename'");
        }
    }

    @Test
    void lspOffMeansNoServerAndNoStatus() throws Exception {
        write(root, "main.c", "int main(void) { return x; }\n");
        try (var servers = new ProjectLanguageServers(root, LspSettings.off(), System.getenv(), _ -> {})) {
            assertThat(servers.diagnostics().report(List.of("main.c"), ctx(root))).isEmpty();
            assertThat(servers.status()).isEmpty();
        }
    }

    @Test
    void aServerThatCannotStartIsSaidInTheResultNotThrown() throws Exception {
        Path fake = write(root, "bin/broken-ls", "#!/bin/sh\necho 'broken-ls: cannot start' >&2\nexit 3\n");
        fake.toFile().setExecutable(true);
        write(root, "main.py", "x = 1\n");
        var broken = LspTesting.spec("broken", List.of(fake.toString()), "py");
        try (var servers = new ProjectLanguageServers(root, LspTesting.settings(broken), System.getenv(), _ -> {})) {
            String report = servers.diagnostics().report(List.of("main.py"), ctx(root));
            assertThat(report).startsWith("Diagnostics unavailable for main.py: broken").contains("broken-ls: cannot start");
            assertThat(servers.status()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(LspServerStatus.FAILED);
                assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("restarting"));
            });
        }
    }

    @Test
    void whenTheWaitExpiresTheResultSaysDiagnosticsWereNotReady() throws Exception {
        Path silent = write(root, "bin/silent-ls", "#!/bin/sh\nexec sleep 60\n");
        silent.toFile().setExecutable(true);
        write(root, "main.py", "x = 1\n");
        var settings = new LspSettings(true, Map.of("silent", LspTesting.spec("silent", List.of(silent.toString()), "py")), false,
                java.time.Duration.ofMillis(700));
        try (var servers = new ProjectLanguageServers(root, settings, System.getenv(), _ -> {})) {
            long t0 = System.nanoTime();
            String report = servers.diagnostics().report(List.of("main.py"), ctx(root));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(report).isEqualTo("Diagnostics for main.py were not ready after 700 ms (silent is still starting); "
                    + "the lsp tool's diagnostics operation asks again.");
            assertThat(millis).isBetween(600L, 5000L);
            assertThat(servers.status()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(LspServerStatus.STARTING));
        }
        // closed while it was still starting: the process is gone, not left until the initialize timeout
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && ProcessHandle.current().descendants().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 60"))) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 60"))).isEmpty();
    }

    @Test
    void aCancelledTurnEndsTheWaitAtOnce() throws Exception {
        // a report that did not hear the cancel would wait for the server until the diagnostics wait (two minutes here)
        // or the initialize timeout (60 s) gave up, the server never answering and living longer: "at once" is far
        // below both on any machine, however busy (a bound of 3 s against the 10 s default wait could be reached by
        // load alone)
        var wait = java.time.Duration.ofMinutes(2);
        var sooner = java.time.Duration.ofSeconds(ServerConnection.INITIALIZE_TIMEOUT_SECONDS);
        Path silent = write(root, "bin/silent-ls", "#!/bin/sh\nexec sleep 300\n");
        silent.toFile().setExecutable(true);
        write(root, "main.py", "x = 1\n");
        var settings = new LspSettings(true, Map.of("silent", LspTesting.spec("silent", List.of(silent.toString()), "py")), false, wait);
        try (var servers = new ProjectLanguageServers(root, settings, System.getenv(), _ -> {})) {
            var ctx = ctx(root);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                ctx.call().cancellation().cancel();
            });
            long t0 = System.nanoTime();
            assertThat(servers.diagnostics().report(List.of("main.py"), ctx)).isEmpty();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("until the cancel was heard").isLessThan(sooner.dividedBy(2));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThatThrownBy(() -> new LspTool(servers).run(new LspTool.Args("hover", Optional.of("main.py"), Optional.of(1), Optional.of(1),
                    Optional.empty()), ctx)).isInstanceOf(ToolFailure.class).hasMessage("Cancelled.");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }
}
