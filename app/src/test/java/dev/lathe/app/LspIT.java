package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language servers as a user meets them (DESIGN §14, §18, issue 28): the packaged jar's {@code lathe run}, a scripted
 * model, and the real pyright and typescript-language-server of {@code testkit/npm} (installed by {@code .ci/run}),
 * found on the {@code PATH} as the built-in table finds them. What the model reads is the next request's tool result.
 */
class LspIT {
    @TempDir Path home;

    /** {@code PATH} with testkit/npm's servers first: the built-in pyright and typescript entries find them there. */
    private static String pathWithServers() {
        return NpmServers.bin("pyright-langserver").getParent() + java.io.File.pathSeparator + System.getenv("PATH");
    }

    /** Built-in servers' executables that a developer's machine may have on its PATH (rustup's rust-analyzer, ...). */
    private static final java.util.List<String> SERVER_EXECUTABLES = java.util.List.of("pyright-langserver", "basedpyright-langserver",
            "typescript-language-server", "gopls", "rust-analyzer", "jdtls", "bash-language-server", "yaml-language-server",
            "lua-language-server", "zls", "ruby-lsp");

    /** {@code PATH} without the folders holding a built-in server other than clangd (which tests switch off by config). */
    private static String pathWithoutServers() {
        return java.util.Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
                .filter(dir -> SERVER_EXECUTABLES.stream().noneMatch(exe -> java.nio.file.Files.isExecutable(Path.of(dir, exe))))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private Lathe lathe(FakeLlm llm, String lspJson) {
        String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY);
        return new Lathe(home, provider.substring(0, provider.length() - 1) + ", \"lsp\": " + lspJson + "}");
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void pyrightsErrorReachesTheNextRequestAndFixingItClearsIt() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n");
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"app.py\",\"content\":" + json("print(undefined_name)\n") + "}")));
            llm.enqueue(Turn.of(Step.toolCall("e1", "edit",
                    "{\"path\":\"app.py\",\"oldString\":\"undefined_name\",\"newString\":\"'defined'\"}")));
            llm.enqueue(Turn.of(Step.text("Fixed.")));
            var lathe = lathe(llm, "{\"wait\": 60}").withEnv("PATH", pathWithServers());

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "write app.py");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(3);
            // DESIGN §18: a blank line, the block, one ERROR [LINE:COL] MESSAGE line per problem (1-based)
            assertThat(llm.requests().get(1).toolResult("w1")).hasValueSatisfying(t -> assertThat(t)
                    .contains("\n\n<diagnostics file=\"app.py\">\nERROR [1:7] \"undefined_name\" is not defined")
                    .endsWith("</diagnostics>"));
            assertThat(llm.requests().get(2).toolResult("e1")).hasValueSatisfying(t -> assertThat(t).doesNotContain("<diagnostics"));
        }
    }

    @Test
    void aTypeScriptEditThatBreaksAnImportElsewhereReportsThatFile() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("tsconfig.json", "{\"compilerOptions\": {\"strict\": true, \"module\": \"commonjs\", \"target\": \"es2020\"}}\n");
            ws.write("lib.ts", "export function greet(name: string): string {\n  return \"Hello, \" + name;\n}\n");
            ws.write("main.ts", "import { greet } from \"./lib\";\nconsole.log(greet(\"Ada\"));\n");
            // the model edits main.ts first (clean: no block), then renames the export main.ts imports
            llm.enqueue(Turn.of(Step.toolCall("e1", "edit", "{\"path\":\"main.ts\",\"oldString\":\"Ada\",\"newString\":\"Grace\"}")));
            llm.enqueue(Turn.of(Step.toolCall("e2", "edit", "{\"path\":\"lib.ts\",\"oldString\":\"function greet\",\"newString\":\"function welcome\"}")));
            llm.enqueue(Turn.of(Step.text("Renamed.")));
            var lathe = lathe(llm, "{\"wait\": 60}").withEnv("PATH", pathWithServers());

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "rename greet");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(3);
            assertThat(llm.requests().get(1).toolResult("e1")).hasValueSatisfying(t -> assertThat(t).doesNotContain("<diagnostics"));
            assertThat(llm.requests().get(2).toolResult("e2")).hasValueSatisfying(t -> assertThat(t)
                    .contains("<diagnostics file=\"main.ts\">\nERROR [1:10] ")
                    .contains("has no exported member", "greet"));
        }
    }

    /**
     * The {@code lsp} tool's definition and references, positions 1-based as {@code read} shows them. The arguments are
     * the lsp module's {@code LspTool} schema ({@code operation}, {@code path}, {@code line}, {@code column}).
     */
    @Test
    void theLspToolFindsADefinitionAndItsReferences() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n");
            ws.write("greet.py", "def greet(name):\n    return \"Hello, \" + name\n");
            ws.write("main.py", "from greet import greet\n\nprint(greet(\"Ada\"))\nprint(greet(\"Grace\"))\n");
            llm.enqueue(Turn.of(Step.toolCall("d1", "lsp", "{\"operation\":\"definition\",\"path\":\"main.py\",\"line\":3,\"column\":7}")));
            llm.enqueue(Turn.of(Step.toolCall("r1", "lsp", "{\"operation\":\"references\",\"path\":\"greet.py\",\"line\":1,\"column\":5}")));
            llm.enqueue(Turn.of(Step.text("Found.")));
            var lathe = lathe(llm, "{\"wait\": 60}").withEnv("PATH", pathWithServers());

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "where is greet?");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(3);
            assertThat(llm.requests().getFirst().toolNames()).contains("lsp");
            assertThat(llm.requests().get(1).toolResult("d1")).hasValueSatisfying(t -> assertThat(t).contains("greet.py:1:5"));
            assertThat(llm.requests().get(2).toolResult("r1")).hasValueSatisfying(t -> assertThat(t)
                    .contains("main.py:3:7", "main.py:4:7"));
        }
    }

    @Test
    void debiansClangdReportsAnUndeclaredIdentifier() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("compile_flags.txt", "-std=c11\n");
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"main.c\",\"content\":"
                    + json("int main(void) {\n    return undefined_var;\n}\n") + "}")));
            llm.enqueue(Turn.of(Step.text("Written.")));
            // clangd is Debian's, on the system PATH (.ci/run installs it)
            var run = lathe(llm, "{\"wait\": 60}").run("run", "--dir", ws.path().toString(), "--allow-all", "write main.c");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests().get(1).toolResult("w1")).hasValueSatisfying(t -> assertThat(t)
                    .contains("<diagnostics file=\"main.c\">\nERROR [2:12] Use of undeclared identifier 'undefined_var'"));
        }
    }

    /** The running server's view: {@code GET /lsp} names the folder's servers with their state, {@code lsp.diagnostics} the errors. */
    @Test
    void theServerListsTheFoldersServersAndPublishesTheirDiagnostics() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n");
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"app.py\",\"content\":" + json("print(undefined_name)\n") + "}")));
            llm.enqueue(Turn.of(Step.text("Written.")));
            var lathe = lathe(llm, "{\"wait\": 60}").withEnv("PATH", pathWithServers()).daemonFirst();
            var serve = ServeProcess.start(lathe);
            try {
                var api = dev.lathe.client.HttpLatheClient.connect(serve.awaitReady(java.time.Duration.ofSeconds(60)).endpoint(),
                        java.util.Optional.empty());
                String dir = ws.path().toString();
                var events = new java.util.concurrent.CopyOnWriteArrayList<dev.lathe.protocol.event.Event>();
                try (AutoCloseable _ = api.subscribe(new dev.lathe.protocol.api.EventFilter(java.util.Optional.of(dir), java.util.Optional.empty()), 0,
                        e -> events.add(e.event()))) {
                    assertThat(api.lsp(dir)).extracting(dev.lathe.protocol.api.LspServerInfo::name).contains("pyright", "typescript", "clangd");
                    assertThat(api.lsp(dir)).filteredOn(i -> i.name().equals("pyright")).singleElement()
                            .satisfies(i -> assertThat(i.command()).contains("pyright-langserver"));

                    var run = lathe.run("run", "--dir", dir, "--allow-all", "write app.py");
                    assertThat(run.exit()).as(run.stderr()).isZero();

                    assertThat(api.lsp(dir)).filteredOn(i -> i.name().equals("pyright")).extracting(dev.lathe.protocol.api.LspServerInfo::state)
                            .containsOnly("running");
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (events.stream().noneMatch(e -> e instanceof dev.lathe.protocol.event.Event.LspDiagnostics) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(events).filteredOn(e -> e instanceof dev.lathe.protocol.event.Event.LspDiagnostics d && d.path().equals("app.py"))
                            .map(e -> ((dev.lathe.protocol.event.Event.LspDiagnostics) e).problems()).anySatisfy(problems -> assertThat(problems)
                                    .contains(new dev.lathe.protocol.api.LspProblemInfo("ERROR", 1, 7, "\"undefined_name\" is not defined")));
                    assertThat(events).anyMatch(e -> e instanceof dev.lathe.protocol.event.Event.LspStatusChanged s && s.server().name().equals("pyright"));
                }
            } finally {
                serve.stop(java.time.Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void withNoServerInstalledEditsWorkAsBeforeAndNothingWaits() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"app.py\",\"content\":" + json("print(undefined_name)\n") + "}")));
            llm.enqueue(Turn.of(Step.text("Written.")));
            // the wait is long: a run that waited for a server would take a minute. No built-in server is on this PATH
            // but Debian's clangd in /usr/bin (.ci/run installs it; the folder holds what Lathe needs too), switched off
            var lathe = lathe(llm, "{\"wait\": 60, \"clangd\": false}").withEnv("PATH", pathWithoutServers());

            long started = System.nanoTime();
            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "write app.py");
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests()).hasSize(2);
            assertThat(llm.requests().get(1).toolResult("w1")).hasValueSatisfying(t -> assertThat(t).doesNotContain("<diagnostics", "diagnostics"));
            assertThat(llm.requests().getFirst().toolNames()).doesNotContain("lsp");
            assertThat(seconds).as("a run with no language server installed never waits for one").isLessThan(30);
            assertThat(ws.path().resolve("app.py")).hasContent("print(undefined_name)");
        }
    }

    @Test
    void lspFalseTurnsItOffWithServersInstalled() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"app.py\",\"content\":" + json("print(undefined_name)\n") + "}")));
            llm.enqueue(Turn.of(Step.text("Written.")));
            var lathe = lathe(llm, "false").withEnv("PATH", pathWithServers());

            var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "write app.py");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(llm.requests().get(1).toolResult("w1")).hasValueSatisfying(t -> assertThat(t).doesNotContain("<diagnostics"));
            assertThat(llm.requests().getFirst().toolNames()).doesNotContain("lsp");
        }
    }
}
