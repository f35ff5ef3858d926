package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.ImportFixtures;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN §18 "Import": {@code lathe import --from claude-code|codex|opencode --dir DIR --all} on the session files
 * the real tools wrote (testkit/import-fixtures), as separate processes of the packaged jar; the imported sessions are
 * listed, a second import adds none, and {@code lathe run --session} continues one with another model whose first
 * request carries the imported tool calls and results.
 */
class ImportIT {
    @TempDir Path home;

    /** The contract for one source; {@code expectedCall} is a string the continued request's body must hold. */
    private void importsListsAndContinues(String source, Lathe lathe, FakeLlm llm, Path project, int sessions, String expectedOutput) throws Exception {
        var first = lathe.run("import", "--from", source, "--dir", project.toString(), "--all");
        assertThat(first.exit()).as(first.stderr()).isZero();
        List<String> lines = first.stdout().lines().toList();
        assertThat(lines).hasSize(sessions).allSatisfy(l -> assertThat(l).startsWith("ses_").contains("\timported\t"));
        Set<String> ids = lines.stream().map(l -> l.substring(0, l.indexOf('\t'))).collect(Collectors.toSet());

        var listed = lathe.run("sessions", "--dir", project.toString(), "--format", "json");
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        JsonNode list = SessionsIT.JSON.readTree(listed.stdout());
        Set<String> listedIds = new java.util.HashSet<>();
        for (JsonNode s : list) listedIds.add(s.get("id").asString());
        assertThat(listedIds).containsAll(ids);
        // issue 71: each names the harness that billed its tokens; Lathe did not
        for (JsonNode s : list) {
            if (ids.contains(s.get("id").asString())) assertThat(s.path("importedFrom").asString()).as(s.toString()).isEqualTo(source);
        }
        int before = list.size();

        var again = lathe.run("import", "--from", source, "--dir", project.toString(), "--all");
        assertThat(again.exit()).as(again.stderr()).isZero();
        assertThat(again.stdout().lines().map(l -> l.substring(0, l.indexOf('\t'))).collect(Collectors.toSet())).isEqualTo(ids);
        assertThat(again.stdout().lines()).allSatisfy(l -> assertThat(l).contains("\tunchanged\t"));
        assertThat(SessionsIT.JSON.readTree(lathe.run("sessions", "--dir", project.toString(), "--format", "json").stdout())).hasSize(before);

        // the session that ran the tools (OpenCode titles its one session itself)
        String id = lines.stream().filter(l -> !l.contains("subagent of")).filter(l -> sessions == 1 || l.contains("Make a note file."))
                .map(l -> l.substring(0, l.indexOf('\t'))).findFirst().orElseThrow();
        // readable as Markdown, and Lathe's own export of it reads back on another machine under the same id
        var md = lathe.run("export", id, "--format", "markdown");
        assertThat(md.exit()).as(md.stderr()).isZero();
        assertThat(md.stdout()).startsWith("# ").contains("bash").contains("Make a note file.");
        var json = lathe.run("export", id);
        assertThat(json.exit()).as(json.stderr()).isZero();
        var elsewhere = new Lathe(home.resolve("elsewhere-" + source), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"));
        Files.createDirectories(elsewhere.home());
        var back = elsewhere.runWithInput(json.stdout(), "import", "-");
        assertThat(back.exit()).as(back.stderr()).isZero();
        assertThat(back.stdout().strip()).isEqualTo(id);

        llm.enqueue(Turn.of(Step.text("Carrying on.")));
        var run = lathe.run("run", "--dir", project.toString(), "--session", id, "what did you do?");
        assertThat(run.exit()).as(run.stderr()).isZero();
        String body = llm.requests().stream().filter(r -> r.body().contains("what did you do?")).findFirst().orElseThrow().body();
        assertThat(body).contains("\"tool_calls\"").contains("\"name\":\"bash\"").contains(expectedOutput);
    }

    @Test
    void claudeCodeSessionsImportOnceAndContinue() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path config = home.resolve("claude-config");
            ImportFixtures.claudeCode(config, ws.path());
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"))
                    .withEnv("CLAUDE_CONFIG_DIR", config.toString());
            Files.createDirectories(lathe.home());
            // three sessions and one subagent's
            importsListsAndContinues("claude-code", lathe, llm, ws.path(), 4, "README.md\\nnote.txt");
        }
    }

    /** The terminal UI offers the other tools' sessions of its folder ({@code /import}) and imports them. */
    @Test
    void theTerminalUiListsAndImportsClaudeCodeSessions() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path config = home.resolve("claude-config");
            ImportFixtures.claudeCode(config, ws.path());
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui"))
                    .withEnv("CLAUDE_CONFIG_DIR", config.toString());
            Files.createDirectories(lathe.home());
            try (var tmux = Tmux.start(lathe.command(), ws.path(), 140, 40)) {
                tmux.awaitText("Ask anything", java.time.Duration.ofSeconds(60));
                tmux.type("/import");
                tmux.sendKeys("Enter");
                tmux.awaitText("Sessions of other tools in this folder", java.time.Duration.ofSeconds(30));
                tmux.awaitText("[scenario:tools] Make a note file.  4 messages", java.time.Duration.ofSeconds(5));
                tmux.type("/import claude-code all");
                tmux.sendKeys("Enter");
                tmux.awaitText("Imported 4 sessions from claude-code (4 new or updated)", java.time.Duration.ofSeconds(30));
                // listed again, each names the session it was imported as (importing it again would add nothing)
                tmux.type("/import");
                tmux.sendKeys("Enter");
                tmux.awaitText(java.util.regex.Pattern.compile("Make a note file\\.  4 messages · imported as ses_\\w+"),
                        java.time.Duration.ofSeconds(30));
                // issue 71: opened, its footer says Claude Code billed its tokens, not "price unknown" or "$0.0000"
                tmux.type("/sessions");
                tmux.sendKeys("Enter");
                tmux.awaitText("enter switch", java.time.Duration.ofSeconds(10));
                tmux.type("Make a note file");
                tmux.sendKeys("Enter");
                tmux.awaitText("imported (not billed by Lathe)", java.time.Duration.ofSeconds(10));
                assertThat(tmux.screen()).noneMatch(row -> row.contains("price unknown") || row.contains("$0.0000"));
            } finally {
                lathe.stopDaemon();
            }
            JsonNode list = SessionsIT.JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
            assertThat(list).hasSize(4);
        }
    }

    @Test
    void codexSessionsImportOnceAndContinue() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path codexHome = home.resolve("codex");
            ImportFixtures.codex(codexHome, ws.path());
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"))
                    .withEnv("CODEX_HOME", codexHome.toString());
            Files.createDirectories(lathe.home());
            importsListsAndContinues("codex", lathe, llm, ws.path(), 1, "README.md\\nnote.txt");
        }
    }

    @Test
    void openCodeSessionsImportOnceAndContinue() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"));
            Files.createDirectories(lathe.home());
            // OpenCode's data folder is XDG_DATA_HOME/opencode, beside Lathe's own
            Path db = ImportFixtures.openCode(lathe.home().resolve("data"));
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
                st.executeUpdate("UPDATE session SET directory = '" + ws.path() + "'");
            }
            importsListsAndContinues("opencode", lathe, llm, ws.path(), 1, "README.md\\nnote.txt\\nopencode.json");
        }
    }

    /**
     * Issue 53, as a user meets it: sessions imported where the Anthropic key was set, continued in a shell without it.
     * {@code lathe run --session} goes on with the folder's configured model and says once which and why (the file
     * Claude Code attached again after its compaction reaches the model); {@code --model} is honoured; a run whose turn
     * failed (the provider unreachable) keeps its prompt, and the retry sends it once.
     */
    @Test
    void anImportedSessionWithoutItsKeyGoesOnWithTheFoldersModelAndARetrySendsThePromptOnce() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            Path config = home.resolve("claude-config");
            ImportFixtures.claudeCode(config, ws.path());
            String folderConfig = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s");
            var withKey = new Lathe(home.resolve("lathe"), folderConfig).withEnv("CLAUDE_CONFIG_DIR", config.toString())
                    .withEnv("ANTHROPIC_API_KEY", "sk-ant-import-time");
            Files.createDirectories(withKey.home());
            var imported = withKey.run("import", "--from", "claude-code", "--dir", ws.path().toString(), "--all");
            assertThat(imported.exit()).as(imported.stderr()).isZero();
            String compacted = imported.stdout().lines().filter(l -> l.contains("Make a note file again.")).map(l -> l.substring(0, l.indexOf('\t')))
                    .findFirst().orElseThrow();
            String other = imported.stdout().lines().filter(l -> l.contains("\t[scenario:tools] Make a note file.")).map(l -> l.substring(0, l.indexOf('\t')))
                    .findFirst().orElseThrow();

            // the same user later, in a shell without the Anthropic key
            var lathe = new Lathe(home.resolve("lathe"), folderConfig);
            llm.enqueue(Turn.of(Step.text("Carrying on.")));
            var run = lathe.run("run", "--dir", ws.path().toString(), "--session", compacted, "what is in the note?");
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("the session's model anthropic/claude-sonnet-4-5 cannot be used here (no key for provider 'anthropic'")
                    .contains("it goes on with the folder's configured model, fake/fake-model").doesNotContain("sk-ant");
            String body = llm.requests().stream().filter(r -> r.body().contains("what is in the note?")).findFirst().orElseThrow().body();
            assertThat(body).contains("[attached file note.txt]\\nhello world\\n");
            // said once: the session goes on with that model from now on
            llm.enqueue(Turn.of(Step.text("Still here.")));
            var again = lathe.run("run", "--dir", ws.path().toString(), "--session", compacted, "and now?");
            assertThat(again.exit()).as(again.stderr()).isZero();
            assertThat(again.stderr()).doesNotContain("cannot be used here");

            // --model is honoured on an imported session whose model has no key
            llm.enqueue(Turn.of(Step.text("Picked.")));
            var picked = lathe.run("run", "--dir", ws.path().toString(), "--session", other, "--model", "fake/fake-model", "pick one");
            assertThat(picked.exit()).as(picked.stderr()).isZero();
            assertThat(picked.stderr()).doesNotContain("cannot be used here");

            // a turn that fails before any answer (the provider unreachable) keeps the prompt; the retry sends it once
            var down = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "sk-s")
                    .replaceFirst("\\{", "{\"retry\": {\"maxAttempts\": 1, \"maxTotalWaitSeconds\": 1},"));
            var failed = down.run("run", "--dir", ws.path().toString(), "--session", other, "list the files once");
            assertThat(failed.exit()).as(failed.stderr()).isNotZero();
            llm.enqueue(Turn.of(Step.text("Listed.")));
            var retried = lathe.run("run", "--dir", ws.path().toString(), "--session", other, "list the files once");
            assertThat(retried.exit()).as(retried.stderr()).isZero();
            String retry = llm.requests().getLast().body();
            assertThat(retry.split("list the files once", -1)).as(retry).hasSize(2);
            // nothing accepted is lost: both prompts stay in the transcript
            var exported = lathe.run("export", other, "--format", "markdown");
            assertThat(exported.stdout().split("list the files once", -1)).hasSize(3);
        }
    }

    /**
     * Issue 53 minors: {@code lathe --help} names {@code --from} in its line for {@code import}; the listings of
     * {@code lathe import --from}, {@code lathe mcp list} and {@code lathe hooks} have a header row on a terminal (a pty
     * here, through script(1)) and none in a pipe, where each line stays one row for scripts.
     */
    @Test
    void helpNamesFromAndListingsHaveHeadersOnATerminal() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "a project\n").initGitRepo();
            ws.write(".lathe/lathe.json", "{\"mcp\": {\"files\": {\"type\": \"local\", \"command\": [\"true\"], \"enabled\": false}},"
                    + " \"hooks\": {\"PreToolUse\": [{\"matcher\": \"bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"true\"}]}]}}");
            Path config = home.resolve("claude-config");
            ImportFixtures.claudeCode(config, ws.path());
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-s"))
                    .withEnv("CLAUDE_CONFIG_DIR", config.toString());
            Files.createDirectories(lathe.home());
            assertThat(lathe.run("trust", "--dir", ws.path().toString()).exit()).isZero();

            var help = lathe.run("--help");
            assertThat(help.stdout().lines().filter(l -> l.strip().startsWith("import")).findFirst().orElseThrow()).contains("--from");

            String dir = ws.path().toString();
            // in columns under their heads on a terminal (issue 82), not tab stops
            assertThat(onTerminal(lathe, "import", "--from", "claude-code", "--dir", dir)).containsPattern("ID +FOLDER +TITLE +UPDATED +MESSAGES");
            assertThat(lathe.run("import", "--from", "claude-code", "--dir", dir).stdout().lines().findFirst().orElseThrow()).doesNotContain("FOLDER");
            assertThat(onTerminal(lathe, "mcp", "list", "--dir", dir)).contains("NAME\tTYPE\tSTATE\tTARGET\tLAST ERROR");
            assertThat(lathe.run("mcp", "list", "--dir", dir).stdout()).doesNotContain("NAME\tTYPE");
            assertThat(onTerminal(lathe, "hooks", "--dir", dir)).contains("EVENT\tMATCHER\tTYPE\tHANDLER\tSOURCE");
            assertThat(lathe.run("hooks", "--dir", dir).stdout()).doesNotContain("EVENT\tMATCHER");
        }
    }

    /** What {@code lathe args...} prints with a terminal (a pty made by script(1)) as its standard input and output. */
    private static String onTerminal(Lathe lathe, String... args) throws Exception {
        ProcessBuilder inner = lathe.command(args);
        String line = inner.command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        var pb = new ProcessBuilder("script", "-qec", line, "/dev/null");
        pb.environment().clear();
        pb.environment().putAll(inner.environment());
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out.replace("\r\n", "\n");
    }
}
