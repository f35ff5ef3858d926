package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §27 "export both ways": a Lathe session with a prompt and an edit, written by {@code lathe export ID --to
 * claude-code|opencode} into the storage of the real Claude Code and OpenCode (testkit/npm, pinned versions) and
 * continued there by {@code claude --resume UUID} and {@code opencode run --session ID}, each pointed at the fake model
 * on loopback: the continued request holds Lathe's prompt and its edit call. Before Claude Code ever ran, and for a folder
 * it does not know, the export makes its folder as Claude Code would; a secret in the session is not exported.
 */
class HarnessExportIT {
    private static final String SECRET = "sk-export-secret-0123456789";
    private static final String PROMPT = "LATHE-PROMPT change the readme";

    @TempDir Path home;

    /** The fake model: Lathe's turn edits README.md; any other request (the other tool's) gets a short answer. */
    private static Turn answer(RecordedRequest r) {
        String body = r.body();
        if (body.contains("what did you do?")) return Turn.of(Step.text("I changed the readme earlier."));
        if (body.contains("call_edit1")) return Turn.of(Step.text("The readme now says an edited project."));
        if (body.contains(PROMPT)) {
            return Turn.of(Step.toolCall("call_edit1", "edit", "{\"path\":\"README.md\",\"oldString\":\"a project\",\"newString\":\"an edited project\"}"));
        }
        return Turn.of(Step.text("ok"));
    }

    /** A Lathe session in {@code ws} with the prompt (naming the provider's key) and its edit; its id. */
    private static String latheSession(Lathe lathe, Path project) throws Exception {
        var run = lathe.run("run", "--dir", project.toString(), "--allow-all", "--format", "json", PROMPT + " (the key is " + SECRET + ")");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(Files.readString(project.resolve("README.md"))).isEqualTo("an edited project\n");
        String last = run.stdout().lines().toList().getLast();
        return SessionsIT.JSON.readTree(last).path("sessionId").asString();
    }

    @Test
    void aLatheSessionContinuesInRealClaudeCode() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.respondWith(HarnessExportIT::answer);
            ws.write("README.md", "a project\n").initGitRepo();
            Path project = ws.path().toRealPath();
            Path claudeHome = Files.createDirectories(home.resolve("claude-home"));
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), SECRET))
                    .withEnv("CLAUDE_CONFIG_DIR", claudeHome.resolve(".claude").toString());
            Files.createDirectories(lathe.home());
            String session = latheSession(lathe, project);

            // issue 82: Claude Code never ran on this machine: the export makes its folder for the project as Claude Code's
            // first run there would (the user's only), and Claude Code continues the session from it
            var first = lathe.run("export", session, "--to", "claude-code");
            assertThat(first.exit()).as(first.stderr()).isZero();
            String firstUuid = first.stdout().lines().findFirst().orElseThrow();
            Path made = claudeHome.resolve(".claude/projects").resolve(project.toString().replaceAll("[^a-zA-Z0-9]", "-"));
            assertThat(made.resolve(firstUuid + ".jsonl")).isRegularFile();
            for (Path dir : List.of(claudeHome.resolve(".claude"), claudeHome.resolve(".claude/projects"), made)) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString()).isEqualTo("rwx------");
            }
            var firstResumed = claude(claudeHome, project, llm, "-p", "what did you do?", "--resume", firstUuid);
            assertThat(firstResumed.exit()).as(firstResumed.output()).isZero();
            assertThat(firstResumed.output()).contains("I changed the readme earlier.");

            assertThat(claude(claudeHome, project, llm, "-p", "hello").exit()).isZero();
            // a folder Claude Code never ran in gets its folder the same way; an unknown session and an unknown tool are refused
            Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
            var unknownDir = lathe.run("export", session, "--to", "claude-code", "--dir", elsewhere.toString());
            assertThat(unknownDir.exit()).as(unknownDir.stderr()).isZero();
            String elsewhereUuid = unknownDir.stdout().lines().findFirst().orElseThrow();
            assertThat(claudeHome.resolve(".claude/projects").resolve(elsewhere.toRealPath().toString().replaceAll("[^a-zA-Z0-9]", "-"))
                    .resolve(elsewhereUuid + ".jsonl")).isRegularFile();
            var noSession = lathe.run("export", "ses_nosuchsession", "--to", "claude-code");
            assertThat(noSession.exit()).isNotZero();
            assertThat(noSession.stderr().strip()).contains("ses_nosuchsession").doesNotContain("\n");
            var noTool = lathe.run("export", session, "--to", "cursor");
            assertThat(noTool.exit()).isNotZero();
            assertThat(noTool.stderr().strip()).contains("--to takes claude-code or opencode").doesNotContain("\n");
            Path folder = claudeHome.resolve(".claude/projects").resolve(project.toString().replaceAll("[^a-zA-Z0-9]", "-"));
            List<String> written = files(folder);

            var export = lathe.run("export", session, "--to", "claude-code");
            assertThat(export.exit()).as(export.stderr()).isZero();
            List<String> out = export.stdout().lines().toList();
            String uuid = out.get(0);
            assertThat(uuid).matches("[0-9a-f-]{36}");
            assertThat(out.get(1)).isEqualTo("cd " + project + " && claude --resume " + uuid);
            assertThat(files(folder)).containsExactlyInAnyOrderElementsOf(Stream.concat(written.stream(), Stream.of(uuid + ".jsonl")).toList());
            String transcript = Files.readString(folder.resolve(uuid + ".jsonl"));
            assertThat(transcript).doesNotContain(SECRET).contains("(the key is ***)");

            var resumed = claude(claudeHome, project, llm, "-p", "what did you do?", "--resume", uuid);
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("I changed the readme earlier.");
            String body = llm.requests().stream().filter(r -> r.isAnthropic() && r.body().contains("what did you do?")).findFirst().orElseThrow().body();
            assertThat(body).contains(PROMPT).contains("\"name\":\"Edit\"").contains("\"new_string\":\"an edited project\"")
                    .contains("\"tool_use_id\":\"call_edit1\"").doesNotContain(SECRET);
        }
    }

    @Test
    void aLatheSessionContinuesInRealOpenCode() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.respondWith(HarnessExportIT::answer);
            ws.write("README.md", "a project\n").initGitRepo();
            Path project = ws.path().toRealPath();
            Path ocHome = Files.createDirectories(home.resolve("opencode-home"));
            Path config = Files.createDirectories(ocHome.resolve("config/opencode"));
            Files.writeString(config.resolve("opencode.json"), "{\"autoupdate\": false, \"share\": \"disabled\", \"model\": \"fake/fake-model\","
                    + " \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"},"
                    + " \"provider\": {\"fake\": {\"npm\": \"@ai-sdk/openai-compatible\", \"name\": \"Fake\", \"options\": {\"baseURL\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"oc-key\"}, \"models\": {\"fake-model\": {\"name\": \"Fake\", \"tool_call\": true,"
                    + " \"limit\": {\"context\": 100000, \"output\": 4096}}}}}}");
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), SECRET))
                    .withEnv("XDG_DATA_HOME", ocHome.resolve("data").toString());
            Files.createDirectories(lathe.home());
            String session = latheSession(lathe, project);

            var before = lathe.run("export", session, "--to", "opencode");
            assertThat(before.exit()).isNotZero();
            assertThat(before.stderr().strip()).contains("OpenCode has no storage yet").contains("run opencode once").doesNotContain("\n");

            assertThat(opencode(ocHome, project, "run", "hello").exit()).isZero();
            Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
            var unknownDir = lathe.run("export", session, "--to", "opencode", "--dir", elsewhere.toString());
            assertThat(unknownDir.exit()).isNotZero();
            assertThat(unknownDir.stderr().strip()).contains("OpenCode does not know " + elsewhere.toRealPath()).doesNotContain("\n");

            var export = lathe.run("export", session, "--to", "opencode");
            assertThat(export.exit()).as(export.stderr()).isZero();
            List<String> out = export.stdout().lines().toList();
            String id = out.get(0);
            assertThat(id).startsWith("ses_");
            assertThat(out.get(1)).isEqualTo("cd " + project + " && opencode --session " + id);

            var resumed = opencode(ocHome, project, "run", "--session", id, "what did you do?");
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("I changed the readme earlier.");
            String body = llm.requests().stream().filter(r -> r.path().endsWith("/chat/completions") && r.body().contains("what did you do?")
                    && r.body().contains("\"tools\"")).findFirst().orElseThrow().body();
            assertThat(body).contains(PROMPT).contains("\"name\":\"edit\"").contains("an edited project").contains("call_edit1").doesNotContain(SECRET);

            // a database OpenCode cannot have written is refused whole
            Files.writeString(ocHome.resolve("data/opencode/opencode.db"), "not a database");
            var broken = lathe.run("export", session, "--to", "opencode");
            assertThat(broken.exit()).isNotZero();
            assertThat(broken.stderr().strip()).contains("cannot write OpenCode's database").doesNotContain("\n");
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).toList();
        }
    }

    record Ran(int exit, String output) {}

    static Ran claude(Path claudeHome, Path project, FakeLlm llm, String... args) throws Exception {
        Path bin = NpmServers.module("@anthropic-ai/claude-code-linux-x64/claude");
        return tool(project, Map.of("HOME", claudeHome.toString(), "ANTHROPIC_BASE_URL", llm.baseUrl().replaceAll("/v1$", ""),
                "ANTHROPIC_API_KEY", "sk-ant-dummy", "IS_SANDBOX", "1", "DISABLE_AUTOUPDATER", "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_TELEMETRY", "1", "DISABLE_ERROR_REPORTING", "1"),
                Stream.concat(Stream.of(bin.toString(), "--model", "claude-sonnet-4-5", "--permission-mode", "bypassPermissions"), Stream.of(args)).toList());
    }

    private static Ran opencode(Path ocHome, Path project, String... args) throws Exception {
        Path bin = NpmServers.module("opencode-linux-x64/bin/opencode");
        return tool(project, Map.of("HOME", ocHome.toString(), "XDG_DATA_HOME", ocHome.resolve("data").toString(), "XDG_CONFIG_HOME",
                ocHome.resolve("config").toString(), "XDG_CACHE_HOME", ocHome.resolve("cache").toString(), "XDG_STATE_HOME", ocHome.resolve("state").toString(),
                "OPENCODE_DISABLE_AUTOUPDATE", "1", "OPENCODE_DISABLE_MODELS_FETCH", "1", "OPENCODE_DISABLE_LSP_DOWNLOAD", "1", "OPENCODE_DISABLE_SHARE", "1"),
                Stream.concat(Stream.of(bin.toString()), Stream.of(args)).toList());
    }

    /** A real tool run in {@code project} with only these variables (and a plain PATH), its output; 180 s at most. */
    private static Ran tool(Path project, Map<String, String> env, List<String> command) throws Exception {
        var pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("TERM", "dumb");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
