package dev.lathe.lsp;

import static dev.lathe.lsp.LspTesting.ctx;
import static dev.lathe.lsp.LspTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.ToolContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diagnostics after edits, the lsp tool and restarts, against a real pyright-langserver (testkit/npm). */
class PyrightTest {
    private static final String GOOD = """
            def greet(name):
                return "hello " + name

            print(greet("x"))
            """;

    @TempDir Path root;
    private ProjectLanguageServers servers;
    private final LspTesting.Recorder events = new LspTesting.Recorder();

    @BeforeEach
    void start() {
        Path bin = LspTesting.npmBin("pyright-langserver");
        servers = new ProjectLanguageServers(root, LspTesting.settings(LspTesting.spec("pyright", List.of(bin.toString(), "--stdio"), "py")),
                System.getenv(), events);
    }

    @AfterEach
    void stop() {
        if (servers != null) servers.close();
    }

    @Test
    void anUndefinedNameIsReportedAndFixingItClearsIt() throws Exception {
        ToolContext ctx = ctx(root);
        write(root, "pkg/main.py", GOOD + "print(undefined_name)\n");
        long t0 = System.nanoTime();
        String cold = servers.diagnostics().report(List.of("pkg/main.py"), ctx);
        long coldMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(cold).isEqualTo("""
                <diagnostics file="pkg/main.py">
                ERROR [5:7] "undefined_name" is not defined
                </diagnostics>""");
        assertThat(events.awaitAny(e -> e instanceof LspEvent.DiagnosticsPublished, Duration.ofSeconds(5)))
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(LspEvent.DiagnosticsPublished.class, d -> {
            assertThat(d.relPath()).isEqualTo("pkg/main.py");
            assertThat(d.problems()).contains(new LspProblem("ERROR", 5, 7, "\"undefined_name\" is not defined"));
        }));

        write(root, "pkg/main.py", GOOD);
        t0 = System.nanoTime();
        String fixed = servers.diagnostics().report(List.of("pkg/main.py"), ctx);
        long warmMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(fixed).isEmpty();

        write(root, "pkg/main.py", GOOD + "# still clean\n");
        t0 = System.nanoTime();
        assertThat(servers.diagnostics().report(List.of("pkg/main.py"), ctx)).isEmpty();
        long stillClean = (System.nanoTime() - t0) / 1_000_000;
        // not the whole wait (a minute here): a clean file that stays clean is told as soon as the server says so
        assertThat(stillClean).as("milliseconds for a clean file that stays clean").isLessThan(LspTesting.TEST_WAIT.dividedBy(2).toMillis());

        write(root, "pkg/main.py", GOOD + "print(other_missing)\n");
        t0 = System.nanoTime();
        assertThat(servers.diagnostics().report(List.of("pkg/main.py"), ctx)).contains("ERROR [5:7] \"other_missing\" is not defined");
        long warmAgain = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("LSP diagnostics timing, pyright: cold " + coldMillis + " ms, warm " + warmMillis + " ms (fixed), " + stillClean
                + " ms (still clean), " + warmAgain + " ms (broken again)");
        assertThat(servers.status()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(LspServerStatus.RUNNING));
    }

    @Test
    void definitionAndReferencesAnswerOneBasedLocationsRelativeToTheProject() throws Exception {
        write(root, "main.py", GOOD);
        LspTool tool = new LspTool(servers);
        String definition = tool.run(new LspTool.Args("definition", Optional.of("main.py"), Optional.of(4), Optional.of(7), Optional.empty()), ctx(root)).output();
        assertThat(definition).isEqualTo("main.py:1:5: def greet(name):");
        String references = tool.run(new LspTool.Args("references", Optional.of("main.py"), Optional.of(1), Optional.of(5), Optional.empty()), ctx(root)).output();
        assertThat(references).isEqualTo("2 references:\nmain.py:1:5: def greet(name):\nmain.py:4:7: print(greet(\"x\"))");
        String hover = tool.run(new LspTool.Args("hover", Optional.of("main.py"), Optional.of(1), Optional.of(5), Optional.empty()), ctx(root)).output();
        assertThat(hover).contains("greet");
        String symbols = tool.run(new LspTool.Args("documentSymbol", Optional.of("main.py"), Optional.empty(), Optional.empty(), Optional.empty()), ctx(root)).output();
        assertThat(symbols).contains("Function greet 1:5");
        String diagnostics = tool.run(new LspTool.Args("diagnostics", Optional.of("main.py"), Optional.empty(), Optional.empty(), Optional.empty()), ctx(root)).output();
        assertThat(diagnostics).isEqualTo("No errors or warnings in main.py");
        String symbol = tool.run(new LspTool.Args("workspaceSymbol", Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("greet")), ctx(root)).output();
        assertThat(symbol).isEqualTo("Function greet main.py:1:5");
    }

    @Test
    void aKilledServerIsRestartedAndAnswersAgain() throws Exception {
        ToolContext ctx = ctx(root);
        write(root, "main.py", GOOD + "print(first_missing)\n");
        assertThat(servers.diagnostics().report(List.of("main.py"), ctx)).contains("\"first_missing\" is not defined");
        long pid = servers.runners().getFirst().running().orElseThrow().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        LspServerStatus failed = LspTesting.await(servers, "pyright", s -> s.state().equals(LspServerStatus.FAILED), Duration.ofSeconds(10));
        assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e).contains("exited with code").contains("restarting"));
        LspServerStatus back = LspTesting.await(servers, "pyright", s -> s.state().equals(LspServerStatus.RUNNING), Duration.ofSeconds(20));
        assertThat(back.lastError()).isPresent();
        assertThat(servers.runners().getFirst().running().orElseThrow().pid()).isNotEqualTo(pid);
        assertThat(events.snapshot()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(LspEvent.StatusChanged.class,
                s -> assertThat(s.status().state()).isEqualTo(LspServerStatus.FAILED)));

        write(root, "main.py", GOOD + "print(second_missing)\n");
        assertThat(servers.diagnostics().report(List.of("main.py"), ctx)).isEqualTo("""
                <diagnostics file="main.py">
                ERROR [5:7] "second_missing" is not defined
                </diagnostics>""");
    }

    @Test
    void closingStopsTheServerProcess() throws Exception {
        write(root, "main.py", GOOD);
        servers.diagnostics().report(List.of("main.py"), ctx(root));
        ProcessHandle server = ProcessHandle.of(servers.runners().getFirst().running().orElseThrow().pid()).orElseThrow();
        servers.close();
        assertThat(server.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(servers.diagnostics().report(List.of("main.py"), ctx(root))).isEmpty();
    }
}
