package dev.lathe.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The engine against real bash hook scripts and a real HTTP hook on loopback. */
class HookEngineTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HookSource CLAUDE = new HookSource(".claude/settings.json", HookSource.Dialect.CLAUDE_CODE);
    private static final HookSource LATHE = new HookSource("lathe.json", HookSource.Dialect.LATHE);
    private static final String SECRET = "sk-provider-key-0123456789";

    @TempDir Path project;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Hook> hooks = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(project.resolve("hooks"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.stop(0);
        http.close();
    }

    /** A bash script at hooks/NAME that first saves its stdin to hooks/NAME.in, then runs {@code body}. */
    private String script(String name, String body) throws IOException {
        Path file = project.resolve("hooks/" + name);
        Files.writeString(file, "#!/bin/bash\ncat > \"$CLAUDE_PROJECT_DIR/hooks/" + name + ".in\"\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return "\"$CLAUDE_PROJECT_DIR\"/hooks/" + name;
    }

    private JsonNode stdinOf(String name) throws IOException {
        return JSON.readTree(Files.readString(project.resolve("hooks/" + name + ".in")));
    }

    private void add(HookEvent event, String matcher, String command, HookSource source) {
        add(event, matcher, new HookHandler.Command(command, List.of(), HookHandler.Command.Form.SHELL, Duration.ofSeconds(20)), source);
    }

    private void add(HookEvent event, String matcher, HookHandler handler, HookSource source) {
        hooks.add(new Hook(event, HookMatcher.parse(matcher), handler, source));
    }

    private HookEngine engine() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("ANTHROPIC_API_KEY", SECRET);
        env.put("INNOCENT_LOOKING", SECRET);
        env.put("TOKEN", "abc");
        return HookEngine.create(hooks, new ClaudeToolNames(Set.of("memory")), project, env, Set.of(SECRET), http, line -> java.util.Optional.empty());
    }

    private HookInput.Common common() {
        return new HookInput.Common("ses_1", Optional.of(project.resolve("t.jsonl")), project, "default");
    }

    private HookOutcome preToolUse(String tool, String args) {
        return engine().fire(new HookInput(common(), new HookInput.PreToolUse(tool, args, "call_1")));
    }

    @Test
    void aClaudeCodeHookSeesClaudeCodesNamesAndTheCommonFields() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "Bash", script("pre", "exit 0"), CLAUDE);

        HookOutcome outcome = preToolUse("bash", "{\"command\":\"git push\",\"description\":\"push\",\"background\":true}");

        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.None());
        JsonNode in = stdinOf("pre");
        assertThat(in.path("session_id").asString()).isEqualTo("ses_1");
        assertThat(in.path("transcript_path").asString()).isEqualTo(project.resolve("t.jsonl").toString());
        assertThat(in.path("cwd").asString()).isEqualTo(project.toString());
        assertThat(in.path("permission_mode").asString()).isEqualTo("default");
        assertThat(in.path("hook_event_name").asString()).isEqualTo("PreToolUse");
        assertThat(in.path("tool_name").asString()).isEqualTo("Bash");
        assertThat(JSON.writeValueAsString(in.path("tool_input")))
                .isEqualTo("{\"command\":\"git push\",\"description\":\"push\",\"run_in_background\":true}");
        assertThat(in.path("tool_use_id").asString()).isEqualTo("call_1");
        assertThat(outcome.runs()).singleElement().satisfies(r -> {
            assertThat(r.exitCode()).contains(0);
            assertThat(r.result()).isEqualTo(new HookRun.Result.Succeeded(""));
        });
    }

    @Test
    void editAndWriteArriveWithAbsoluteFilePathsAndUpdatedInputIsMappedBack() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "Edit|Write", script("edit", """
                echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"file_path":"%s","new_string":"B"}}}'
                """.formatted(project.resolve("src/A.java"))), CLAUDE);
        add(HookEvent.PRE_TOOL_USE, "edit", script("lathe", "exit 0"), LATHE);

        HookOutcome outcome = preToolUse("edit", "{\"path\":\"src/a.txt\",\"oldString\":\"a\",\"newString\":\"b\"}");

        assertThat(JSON.writeValueAsString(stdinOf("edit").path("tool_input"))).isEqualTo("{\"file_path\":\"" + project.resolve("src/a.txt")
                + "\",\"old_string\":\"a\",\"new_string\":\"b\"}");
        assertThat(stdinOf("lathe").path("tool_name").asString()).as("lathe.json hooks see Lathe's names").isEqualTo("edit");
        assertThat(JSON.writeValueAsString(stdinOf("lathe").path("tool_input"))).isEqualTo("{\"path\":\"src/a.txt\",\"oldString\":\"a\",\"newString\":\"b\"}");
        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.Allow(""));
        assertThat(outcome.updatedInput()).contains("{\"path\":\"" + project.resolve("src/A.java") + "\",\"oldString\":\"a\",\"newString\":\"B\"}");
    }

    @Test
    void mcpToolsAreNamedAsClaudeCodeNamesThem() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "mcp__memory__.*", script("mcp", "exit 0"), CLAUDE);
        preToolUse("memory_create_entities", "{\"x\":1}");
        assertThat(stdinOf("mcp").path("tool_name").asString()).isEqualTo("mcp__memory__create_entities");
        assertThat(new ClaudeToolNames(Set.of("a", "a_b")).claudeName("a_b_c")).isEqualTo("mcp__a_b__c");
    }

    @Test
    void exitTwoBlocksWithStderrAsTheReasonAndOtherExitCodesOnlyReport() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "Bash", script("block", "echo 'no pushing on Fridays' >&2; exit 2"), CLAUDE);
        add(HookEvent.PRE_TOOL_USE, "*", script("broken", "echo 'boom' >&2; exit 1"), CLAUDE);

        HookOutcome outcome = preToolUse("bash", "{\"command\":\"git push\"}");

        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.Block("no pushing on Fridays"));
        assertThat(outcome.notices()).singleElement().asString().contains("failed: exit 1: boom").contains(".claude/settings.json");
        hooks.removeFirst();
        assertThat(preToolUse("bash", "{\"command\":\"ls\"}").verdict()).as("exit 1 never blocks").isEqualTo(new HookOutcome.Verdict.None());
    }

    @Test
    void permissionDecisionsCombineDenyOverDeferOverAskOverAllow() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "", script("allow", decision("allow", "fine")), LATHE);
        add(HookEvent.PRE_TOOL_USE, "", script("ask", decision("ask", "check this")), LATHE);
        assertThat(preToolUse("bash", "{\"command\":\"ls\"}").verdict()).isEqualTo(new HookOutcome.Verdict.Ask("check this"));
        add(HookEvent.PRE_TOOL_USE, "", script("defer", decision("defer", "")), LATHE);
        assertThat(preToolUse("bash", "{\"command\":\"ls\"}").verdict()).isEqualTo(new HookOutcome.Verdict.Defer());
        add(HookEvent.PRE_TOOL_USE, "", script("deny", decision("deny", "not here")), LATHE);
        HookOutcome denied = preToolUse("bash", "{\"command\":\"ls\"}");
        assertThat(denied.verdict()).isEqualTo(new HookOutcome.Verdict.Block("not here"));
        assertThat(denied.runs()).hasSize(4);
    }

    private static String decision(String decision, String reason) {
        return "echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"" + decision
                + "\",\"permissionDecisionReason\":\"" + reason + "\"}}'";
    }

    @Test
    void continueFalseStopsTheAgentAndWinsOverADecision() throws IOException {
        add(HookEvent.POST_TOOL_USE, "", script("stop", "echo '{\"continue\":false,\"stopReason\":\"build broke\",\"decision\":\"block\",\"reason\":\"x\"}'"), LATHE);
        HookOutcome outcome = engine().fire(new HookInput(common(), new HookInput.PostToolUse("bash", "{\"command\":\"make\"}", "out", "c")));
        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.Stop("build broke"));
    }

    @Test
    void postToolUseAddsContextAndItsExitTwoReachesTheModel() throws IOException {
        add(HookEvent.POST_TOOL_USE, "Write", script("ctx", """
                echo '{"systemMessage":"formatted","hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"2 lint warnings"}}'
                """), CLAUDE);
        HookOutcome outcome = engine().fire(new HookInput(common(), new HookInput.PostToolUse("write", "{\"path\":\"a.txt\",\"content\":\"x\"}",
                "Wrote a.txt", "c")));
        assertThat(outcome.context()).containsExactly("2 lint warnings");
        assertThat(outcome.notices()).containsExactly("formatted");
        // what the hook said for the user travels with its run, so the turn's part and the audit entry show it
        assertThat(outcome.runs()).singleElement().satisfies(run -> {
            assertThat(run.systemMessage()).contains("formatted");
            assertThat(HookRunRecorder.message(run)).isEqualTo("formatted");
        });
        assertThat(JSON.writeValueAsString(stdinOf("ctx").path("tool_response")))
                .isEqualTo("{\"filePath\":\"" + project.resolve("a.txt") + "\",\"success\":true}");

        hooks.clear();
        add(HookEvent.POST_TOOL_USE, "", script("lint", "echo 'fix the lint' >&2; exit 2"), LATHE);
        assertThat(engine().fire(new HookInput(common(), new HookInput.PostToolUse("bash", "{}", "o", "c"))).verdict())
                .isEqualTo(new HookOutcome.Verdict.Block("fix the lint"));
    }

    @Test
    void plainStdoutIsContextOnlyWhereTheContractSaysSo() throws IOException {
        add(HookEvent.USER_PROMPT_SUBMIT, "ignored-matcher", script("prompt", "echo 'Today is Friday.'"), CLAUDE);
        add(HookEvent.STOP, "", script("stop", "echo 'not context'"), CLAUDE);
        HookOutcome prompt = engine().fire(new HookInput(common(), new HookInput.UserPromptSubmit("ship it")));
        assertThat(prompt.context()).containsExactly("Today is Friday.");
        assertThat(stdinOf("prompt").path("prompt").asString()).isEqualTo("ship it");
        HookOutcome stop = engine().fire(new HookInput(common(), new HookInput.Stop(HookInput.StopHook.INACTIVE, "done")));
        assertThat(stop.context()).isEmpty();
        assertThat(stdinOf("stop").path("stop_hook_active").asBoolean()).isFalse();
    }

    @Test
    void aStopHookThatExitsTwoKeepsTheAgentGoing() throws IOException {
        add(HookEvent.STOP, "", script("tests", "echo 'tests fail: keep going' >&2; exit 2"), CLAUDE);
        assertThat(engine().fire(new HookInput(common(), new HookInput.Stop(HookInput.StopHook.INACTIVE, "done"))).verdict())
                .isEqualTo(new HookOutcome.Verdict.Block("tests fail: keep going"));
        hooks.clear();
        add(HookEvent.SESSION_START, "startup", script("start", "echo 'shown to the user' >&2; exit 2"), CLAUDE);
        HookOutcome start = engine().fire(new HookInput(common(), new HookInput.SessionStart("startup", Optional.empty())));
        assertThat(start.verdict()).as("SessionStart cannot be blocked").isEqualTo(new HookOutcome.Verdict.None());
        assertThat(start.notices()).singleElement().asString().contains("shown to the user");
    }

    @Test
    void aHookPastItsTimeoutIsKilledAndDecidesNothing() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "", new HookHandler.Command(script("slow", "sleep 30; exit 2"), List.of(), HookHandler.Command.Form.SHELL,
                Duration.ofMillis(500)), LATHE);
        long started = System.nanoTime();
        HookOutcome outcome = preToolUse("bash", "{\"command\":\"ls\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.None());
        assertThat(outcome.runs().getFirst().result()).isEqualTo(new HookRun.Result.TimedOut(500));
        assertThat(outcome.notices()).singleElement().asString().contains("timed out");
    }

    /**
     * DESIGN §26 "hooks that fail closed": with {@code "onFailure": "block"}, a handler that cannot start, times out or
     * exits with a code other than 0 or 2 blocks the action, saying why; without it the same failures decide nothing.
     * Its proper answers (exit 0, exit 2) are unchanged.
     */
    @Test
    void aHookSetToBlockOnFailureBlocksWhenItCannotStartTimesOutOrExitsOddly() throws IOException {
        record Case(String name, HookHandler handler, String why) {}
        List<Case> failures = List.of(
                new Case("missing", new HookHandler.Command(project.resolve("hooks/not-there").toString(), List.of(), HookHandler.Command.Form.EXEC,
                        Duration.ofSeconds(20)), "could not run"),
                new Case("slow", new HookHandler.Command(script("slow", "sleep 30"), List.of(), HookHandler.Command.Form.SHELL, Duration.ofMillis(500)),
                        "timed out"),
                new Case("crashes", new HookHandler.Command(script("crashes", "echo 'guard broke' >&2; exit 1"), List.of(), HookHandler.Command.Form.SHELL,
                        Duration.ofSeconds(20)), "exited with code 1: guard broke"),
                new Case("refused", new HookHandler.Http(URI.create("http://127.0.0.1:9/hook"), Map.of(), List.of(), Duration.ofSeconds(5)),
                        "could not run"));
        for (Case c : failures) {
            hooks.clear();
            hooks.add(new Hook(HookEvent.PRE_TOOL_USE, HookMatcher.parse(""), c.handler(), CLAUDE, dev.lathe.core.trust.RunPin.NONE, Hook.OnFailure.BLOCK));
            HookOutcome closed = preToolUse("bash", "{\"command\":\"rm -rf build\"}");
            assertThat(closed.verdict()).as(c.name()).isInstanceOf(HookOutcome.Verdict.Block.class);
            assertThat(((HookOutcome.Verdict.Block) closed.verdict()).reason()).as(c.name()).contains("set to block when it fails").contains(c.why());
            assertThat(closed.notices()).as(c.name() + ": the user is told too").anyMatch(n -> n.contains(c.why()));

            hooks.clear();
            hooks.add(new Hook(HookEvent.PRE_TOOL_USE, HookMatcher.parse(""), c.handler(), CLAUDE));
            assertThat(preToolUse("bash", "{\"command\":\"rm -rf build\"}").verdict()).as(c.name() + " failing open by default")
                    .isEqualTo(new HookOutcome.Verdict.None());
        }
        // a guard that works: exit 0 lets the call run, exit 2 blocks it with its own reason
        hooks.clear();
        hooks.add(new Hook(HookEvent.PRE_TOOL_USE, HookMatcher.parse(""), new HookHandler.Command(script("fine", "exit 0"), List.of(),
                HookHandler.Command.Form.SHELL, Duration.ofSeconds(20)), CLAUDE, dev.lathe.core.trust.RunPin.NONE, Hook.OnFailure.BLOCK));
        assertThat(preToolUse("bash", "{\"command\":\"ls\"}").verdict()).isEqualTo(new HookOutcome.Verdict.None());
        hooks.clear();
        hooks.add(new Hook(HookEvent.PRE_TOOL_USE, HookMatcher.parse(""), new HookHandler.Command(script("says-no", "echo 'not here' >&2; exit 2"),
                List.of(), HookHandler.Command.Form.SHELL, Duration.ofSeconds(20)), CLAUDE, dev.lathe.core.trust.RunPin.NONE, Hook.OnFailure.BLOCK));
        assertThat(preToolUse("bash", "{\"command\":\"ls\"}").verdict()).isEqualTo(new HookOutcome.Verdict.Block("not here"));
    }

    @Test
    void anAbortedTurnKillsItsRunningHooksInsteadOfWaitingForTheirTimeouts() throws Exception {
        add(HookEvent.PRE_TOOL_USE, "", new HookHandler.Command(script("stuck", "echo $$ > \"$CLAUDE_PROJECT_DIR/hooks/stuck.pid\"; exec sleep 60"),
                List.of(), HookHandler.Command.Form.SHELL, Duration.ofSeconds(60)), LATHE);
        var result = new java.util.concurrent.CompletableFuture<HookOutcome>();
        Thread turn = Thread.ofVirtual().start(() -> result.complete(preToolUse("bash", "{\"command\":\"ls\"}")));
        Path pid = project.resolve("hooks/stuck.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(pid) && !Files.readString(pid).isBlank()) && System.nanoTime() < deadline) Thread.sleep(20);
        long started = System.nanoTime();
        turn.interrupt(); // what an abort does to the turn's thread
        assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS).verdict()).isEqualTo(new HookOutcome.Verdict.None());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("returned at once, not after the 60 s timeout").isLessThan(Duration.ofSeconds(5));
        var process = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (process.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(process.map(ProcessHandle::isAlive).orElse(false)).as("the hook's process was killed").isFalse();
    }

    @Test
    void matchingHandlersRunInParallelAndAHandlerDefinedTwiceRunsOnce() throws IOException {
        // each waits for the other's mark: run one after the other, the first would give up and fail
        String wait = "touch \"$CLAUDE_PROJECT_DIR/hooks/%s.mark\"; for i in $(seq 150); do [ -f \"$CLAUDE_PROJECT_DIR/hooks/%s.mark\" ] && exit 0; sleep 0.1; done; exit 1";
        add(HookEvent.PRE_TOOL_USE, "", script("a", wait.formatted("a", "b")), LATHE);
        add(HookEvent.PRE_TOOL_USE, "", script("b", wait.formatted("b", "a")), LATHE);
        add(HookEvent.PRE_TOOL_USE, "", script("b", wait.formatted("b", "a")), new HookSource(".lathe/lathe.json", HookSource.Dialect.LATHE));

        HookOutcome outcome = preToolUse("bash", "{\"command\":\"ls\"}");

        assertThat(outcome.runs()).extracting(HookRun::result).containsExactly(new HookRun.Result.Succeeded(""), new HookRun.Result.Succeeded(""));
    }

    @Test
    void commandsRunInTheProjectWithTheProjectDirAndWithoutProviderKeys() throws IOException {
        add(HookEvent.PRE_TOOL_USE, "", script("env", "{ pwd; echo \"$LATHE_PROJECT_DIR\"; env; } > \"$CLAUDE_PROJECT_DIR/hooks/env.out\""), LATHE);
        preToolUse("bash", "{\"command\":\"ls\"}");
        String out = Files.readString(project.resolve("hooks/env.out"));
        assertThat(out.lines().limit(2)).containsExactly(project.toString(), project.toString());
        assertThat(out).contains("CLAUDE_PROJECT_DIR=" + project).doesNotContain(SECRET).doesNotContain("ANTHROPIC_API_KEY");
    }

    @Test
    void theExecFormPassesArgumentsWithoutAShell() throws IOException {
        script("exec", "printf '%s|' \"$@\" > \"$CLAUDE_PROJECT_DIR/hooks/exec.out\"");
        add(HookEvent.PRE_TOOL_USE, "", new HookHandler.Command("${CLAUDE_PROJECT_DIR}/hooks/exec", List.of("a b", "$HOME", "${CLAUDE_PROJECT_DIR}"),
                HookHandler.Command.Form.EXEC, Duration.ofSeconds(20)), CLAUDE);
        preToolUse("bash", "{\"command\":\"ls\"}");
        assertThat(Files.readString(project.resolve("hooks/exec.out"))).isEqualTo("a b|$HOME|" + project + "|");
    }

    @Test
    void anHttpHookGetsTheJsonAndOnlyAllowedVariablesInItsHeaders() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Authorization") + " / " + exchange.getRequestHeaders().getFirst("X-Other"));
            seen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"deny\",\"permissionDecisionReason\":\"policy\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        add(HookEvent.PRE_TOOL_USE, "Bash", new HookHandler.Http(URI.create(base + "/hook"),
                Map.of("Authorization", "Bearer ${TOKEN}", "X-Other", "[$INNOCENT_LOOKING$HOME]"), List.of("TOKEN", "INNOCENT_LOOKING"),
                Duration.ofSeconds(20)), CLAUDE);
        add(HookEvent.PRE_TOOL_USE, "Bash", new HookHandler.Http(URI.create(base + "/down"), Map.of(), List.of(), Duration.ofSeconds(20)), CLAUDE);

        HookOutcome outcome = preToolUse("bash", "{\"command\":\"rm -rf /\"}");

        assertThat(outcome.verdict()).isEqualTo(new HookOutcome.Verdict.Block("policy"));
        assertThat(seen.getFirst()).as("TOKEN allowed; a provider key's value and a variable not allowed become empty").isEqualTo("Bearer abc / []");
        assertThat(JSON.readTree(seen.get(1)).path("tool_input").path("command").asString()).isEqualTo("rm -rf /");
        assertThat(outcome.notices()).singleElement().asString().contains("HTTP 503");
    }
}
