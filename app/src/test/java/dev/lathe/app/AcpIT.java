package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe acp} driven by the official ACP TypeScript client library ({@code @agentclientprotocol/sdk} from the
 * npm registry, {@code src/test/resources/acp/editor.mjs}) as an editor drives it: a real task against the fake model
 * with a permission ask answered in the editor, tool calls with their diff, the file changed and {@code end_turn};
 * the session is then a Lathe session like any other ({@code lathe sessions} lists it) and a second editor process
 * lists, loads (history replayed) and resumes it; {@code session/cancel} stops a running turn; an MCP server the editor
 * names in {@code session/new} serves that session's turn and stops when the editor closes.
 * The tests with the same configuration share one daemon (the first editor's {@code lathe acp} starts it) and one fake
 * model, each in its own project folder: a daemon's start and stop cost more CPU than most of these tests (issue 55).
 */
class AcpIT {
    @TempDir static Path sharedHome;
    private static FakeLlm llm;
    /** The daemon-first lathe of the tests configured with {@link #llm} alone. */
    private static Lathe shared;

    @TempDir Path home;

    @BeforeAll
    static void startTheFakeModel() {
        llm = FakeLlm.start();
        shared = new Lathe(sharedHome, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-acp")).daemonFirst();
    }

    @AfterAll
    static void stopTheSharedDaemon() {
        try {
            shared.stopDaemon();
        } finally {
            llm.close();
        }
    }

    @BeforeEach
    void resetTheFakeModel() {
        llm.reset();
    }

    @Test
    void anEditorRunsATaskWithAnAskAndTheSessionLivesOnInLathe() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("app.py", "def greet():\n    return \"hello\"\n").initGitRepo();
            var lathe = shared;
            llm.enqueue(Turn.of(Step.toolCall("r1", "read", "{\"path\":\"app.py\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.toolCall("e1", "edit", "{\"path\":\"app.py\",\"oldString\":\"hello\",\"newString\":\"hello, world\"}"))
                    .finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("The greeting now says hello, world.")));
            JsonNode first = editor(lathe, ws.path(), List.of(step("initialize"), step("new"), prompt("make the greeting say hello, world")), Map.of());

            JsonNode init = result(first, "initialize");
            assertThat(init.path("protocolVersion").asInt()).isEqualTo(1);
            assertThat(init.path("agentCapabilities").path("loadSession").asBoolean()).isTrue();
            assertThat(init.path("agentCapabilities").path("sessionCapabilities").has("list")).isTrue();
            String sessionId = first.path("sessionId").asString();
            assertThat(sessionId).startsWith("ses_");
            JsonNode created = result(first, "new");
            assertThat(created.path("modes").path("currentModeId").asString()).isEqualTo("build");
            assertThat(texts(created.path("modes").path("availableModes"), "id")).contains("build", "plan");
            assertThat(created.path("configOptions").get(0).path("currentValue").asString()).isEqualTo("fake/fake-model");
            assertThat(result(first, "prompt").path("stopReason").asString()).isEqualTo("end_turn");

            // the ask for the edit reached the editor with the change it would make, and its answer let the edit run
            assertThat(first.path("permissions")).hasSize(1);
            JsonNode ask = first.path("permissions").get(0);
            assertThat(ask.path("sessionId").asString()).isEqualTo(sessionId);
            assertThat(ask.path("toolCall").path("kind").asString()).isEqualTo("edit");
            assertThat(texts(ask.path("options"), "kind")).containsExactly("allow_once", "allow_always", "reject_once");
            assertThat(ask.path("toolCall").path("content").get(0).path("newText").asString()).contains("hello, world");
            assertThat(Files.readString(ws.path().resolve("app.py"))).isEqualTo("def greet():\n    return \"hello, world\"\n");

            List<JsonNode> updates = updates(first);
            JsonNode edit = updates.stream().filter(u -> u.path("toolCallId").asString().equals("e1") && u.path("status").asString().equals("completed"))
                    .findFirst().orElseThrow(() -> new AssertionError("no completed edit among " + updates));
            JsonNode diff = edit.path("content").get(0);
            assertThat(diff.path("type").asString()).isEqualTo("diff");
            assertThat(diff.path("path").asString()).isEqualTo(ws.path().resolve("app.py").toString());
            assertThat(diff.path("oldText").asString()).contains("return \"hello\"");
            assertThat(diff.path("newText").asString()).contains("return \"hello, world\"");
            assertThat(edit.path("kind").asString()).isEqualTo("edit");
            assertThat(edit.path("locations").get(0).path("path").asString()).isEqualTo(ws.path().resolve("app.py").toString());
            assertThat(updates).anySatisfy(u -> {
                assertThat(u.path("sessionUpdate").asString()).isEqualTo("tool_call");
                assertThat(u.path("toolCallId").asString()).isEqualTo("r1");
            });
            assertThat(chunks(updates, "agent_message_chunk")).isEqualTo("The greeting now says hello, world.");
            assertThat(kinds(updates)).contains("available_commands_update", "usage_update", "session_info_update")
                    .doesNotContain("user_message_chunk");
            // the window is the configured model's, found among its provider's models (GET /models?provider=fake)
            assertThat(updates.stream().filter(u -> u.path("sessionUpdate").asString().equals("usage_update")))
                    .allSatisfy(u -> assertThat(u.path("size").asLong()).isEqualTo(100000));
            assertThat(first.path("stderr").asString()).doesNotContain("Exception");

            // a Lathe session like any other
            var listed = lathe.run("sessions", "--dir", ws.path().toString());
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout()).contains(sessionId);

            // another editor process lists it, loads it (the history comes back as updates) and resumes it
            llm.enqueue(Turn.of(Step.text("Still here.")));
            JsonNode second = editor(lathe, ws.path(), List.of(step("initialize"), step("list"), step("load"), prompt("are you there?")),
                    Map.of("sessionId", sessionId));
            assertThat(texts(result(second, "list").path("sessions"), "sessionId")).contains(sessionId);
            List<JsonNode> replayed = updates(second);
            assertThat(chunks(replayed, "user_message_chunk")).startsWith("make the greeting say hello, world");
            assertThat(replayed).anySatisfy(u -> assertThat(u.path("content").path(0).path("newText").asString()).contains("hello, world"));
            assertThat(result(second, "prompt").path("stopReason").asString()).isEqualTo("end_turn");
            assertThat(chunks(replayed, "agent_message_chunk")).endsWith("Still here.");

            JsonNode third = editor(lathe, ws.path(), List.of(step("initialize"), step("resume")), Map.of("sessionId", sessionId));
            assertThat(result(third, "resume").path("modes").path("currentModeId").asString()).isEqualTo("build");
            assertThat(updates(third)).noneSatisfy(u -> assertThat(u.path("sessionUpdate").asString()).endsWith("_chunk"));
        }
    }

    @Test
    void theToolsReadTheEditorsBufferAndWriteThroughItWhenItOffersItsFiles() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("app.py", "def greet():\n    return \"hello\"\n").initGitRepo();
            Path file = ws.path().resolve("app.py").toRealPath();
            var lathe = shared;
            llm.enqueue(Turn.of(Step.toolCall("r1", "read", "{\"path\":\"app.py\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.toolCall("e1", "edit", "{\"path\":\"app.py\",\"oldString\":\"# typed, not saved\","
                    + "\"newString\":\"# kept by the model\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Done.")));
            JsonNode run = editor(lathe, ws.path(), List.of(step("initialize"), step("new"), prompt("keep my note")),
                    Map.of("fs", "true", "unsaved", "# typed, not saved\n"));
            assertThat(result(run, "prompt").path("stopReason").asString()).isEqualTo("end_turn");
            // the model read the editor's buffer: a line that is only in the editor
            assertThat(llm.requests().get(1).toolResult("r1")).hasValueSatisfying(r -> assertThat(r).contains("# typed, not saved"));
            assertThat(run.path("reads").get(0).asString()).isEqualTo(file.toString());
            assertThat(run.path("writes")).hasSize(1);
            assertThat(run.path("writes").get(0).asString()).isEqualTo(file.toString());
            // the edit applied to the buffer and arrived through the editor, which saved it
            assertThat(Files.readString(file)).isEqualTo("def greet():\n    return \"hello\"\n# kept by the model\n");
            assertThat(run.path("stderr").asString()).doesNotContain("Exception");
        }
    }

    @Test
    void cancelAndCloseStopARunningTurn() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = shared;
            // the answer starts, then the stream stalls: only a cancel ends this turn soon
            llm.enqueue(Turn.of(Step.text("Thinking about a long answer that never ends")).stallAfter(3));
            long started = System.nanoTime();
            ObjectNode prompt = prompt("write a long essay");
            prompt.put("cancelOn", "agent_message_chunk");
            JsonNode run = editor(lathe, ws.path(), List.of(step("initialize"), step("new"), prompt), Map.of());
            assertThat(run.path("cancelSent").asBoolean()).as(run.toString()).isTrue();
            assertThat(result(run, "prompt").path("stopReason").asString()).isEqualTo("cancelled");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(60);

            // session/close cancels the session's work too (ACP: as if session/cancel came first)
            llm.enqueue(Turn.of(Step.text("Another answer that stalls")).stallAfter(3));
            ObjectNode closing = prompt("and another");
            closing.put("closeOn", "agent_message_chunk");
            JsonNode closed = editor(lathe, ws.path(), List.of(step("initialize"), step("new"), closing), Map.of());
            assertThat(closed.has("closed")).as(closed.toString()).isTrue();
            assertThat(result(closed, "prompt").path("stopReason").asString()).isEqualTo("cancelled");
            assertThat(result(closed, "initialize").path("agentCapabilities").path("sessionCapabilities").has("close")).isTrue();
        }
    }

    @Test
    void anEditorsMcpServerServesItsSessionUntilTheEditorCloses() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = shared;
            llm.enqueue(Turn.of(Step.toolCall("m1", "ed_echo", "{\"message\":\"from the editor\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Echoed.")));
            // the server writes its pid (exec keeps it), so the test can see it stop with the editor
            Path pid = home.resolve("ed.pid");
            ObjectNode created = step("new");
            ObjectNode server = created.putArray("mcpServers").addObject().put("name", "ed").put("command", "sh");
            server.putArray("args").add("-c").add("echo $$ > '" + pid + "'; exec '" + NpmServers.bin("mcp-server-everything") + "'");
            server.putArray("env").addObject().put("name", "EDITOR_GIVEN").put("value", "yes");
            JsonNode run = editor(lathe, ws.path(), List.of(step("initialize"), created, step("waitMcp"), prompt("echo something")), Map.of());

            JsonNode caps = result(run, "initialize").path("agentCapabilities").path("mcpCapabilities");
            assertThat(caps.path("http").asBoolean() && caps.path("sse").asBoolean()).as(caps.toString()).isTrue();
            assertThat(result(run, "prompt").path("stopReason").asString()).isEqualTo("end_turn");
            assertThat(llm.requests()).as("the request after the call carries the editor's server's answer")
                    .anySatisfy(r -> assertThat(r.toolResult("m1")).hasValueSatisfying(t -> assertThat(t).contains("Echo: from the editor")));
            assertThat(updates(run)).anySatisfy(u -> {
                assertThat(u.path("toolCallId").asString()).isEqualTo("m1");
                assertThat(u.path("status").asString()).isEqualTo("completed");
            });

            // the editor closed: its server is stopped
            long serverPid = Long.parseLong(Files.readString(pid).strip());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive).isPresent() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).as("the editor's server outlived the editor").isEmpty();
        }
    }

    /**
     * A spend limit's ask reaches the editor as a tool call it was told of first, with the answers named for the limit;
     * the editor's "lift" lets the turn go on, and the call is completed.
     */
    @Test
    void anEditorLiftsASpendLimitFromItsAsk() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("greet.py", "def greet():\n    return \"hello\"\n").initGitRepo();
            // the first step reports 6,000 input and 20 output tokens: it passes the 5,000-token limit (a request goes out only
            // while what is spent plus its estimate, its whole prompt, stays within the limit)
            var lathe = new Lathe(home, "{\"limits\": {\"session\": {\"tokens\": 5000}}, "
                    + Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-acp").substring(1)).daemonFirst();
            try {
                llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"greet.py\"}")).finish("tool_calls").usage(6_000, 20, 0, 0));
                llm.enqueue(Turn.of(Step.text("It returns hello.")));
                JsonNode report = editor(lathe, ws.path(), List.of(step("initialize"), step("new"), prompt("what does greet do?")),
                        Map.of("answer", "allow_always"));
                assertThat(result(report, "prompt").path("stopReason").asString()).isEqualTo("end_turn");
                assertThat(llm.requests()).hasSize(2);

                assertThat(report.path("permissions")).hasSize(1);
                JsonNode ask = report.path("permissions").get(0);
                String callId = ask.path("toolCall").path("toolCallId").asString();
                assertThat(callId).startsWith("budget-prm_");
                assertThat(texts(ask.path("options"), "kind")).containsExactly("allow_once", "allow_always", "reject_once");
                assertThat(texts(ask.path("options"), "name")).containsExactly("Allow 5,000 tokens more for this session",
                        "Lift limits.session.tokens for this session", "Stop here");
                // the editor had been told of the call before it was asked about it
                List<JsonNode> updates = updates(report);
                List<JsonNode> before = updates.subList(0, report.path("permissionAt").get(0).asInt());
                assertThat(before).anySatisfy(u -> {
                    assertThat(u.path("sessionUpdate").asString()).isEqualTo("tool_call");
                    assertThat(u.path("toolCallId").asString()).isEqualTo(callId);
                    assertThat(u.path("status").asString()).isEqualTo("pending");
                    assertThat(u.path("title").asString()).isEqualTo("Spend limit reached: session 6,020 tokens of 5,000 tokens (limits.session.tokens)");
                });
                assertThat(updates).anySatisfy(u -> {
                    assertThat(u.path("sessionUpdate").asString()).isEqualTo("tool_call_update");
                    assertThat(u.path("toolCallId").asString()).isEqualTo(callId);
                    assertThat(u.path("status").asString()).isEqualTo("completed");
                });
                assertThat(chunks(updates, "agent_message_chunk")).isEqualTo("It returns hello.");
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    /** Runs editor.mjs with {@code steps}; its report. */
    private JsonNode editor(Lathe lathe, Path cwd, List<ObjectNode> steps, Map<String, String> extra) throws IOException, InterruptedException {
        ProcessBuilder acp = lathe.command("acp");
        ObjectNode scenario = RunIT.JSON.createObjectNode();
        acp.command().forEach(scenario.putArray("command")::add);
        ObjectNode env = scenario.putObject("env");
        acp.environment().forEach(env::put);
        scenario.put("cwd", cwd.toString());
        extra.forEach(scenario::put);
        steps.forEach(scenario.putArray("steps")::add);
        Path script = Path.of("src/test/resources/acp/editor.mjs").toAbsolutePath();
        Path out = Files.createTempFile(home, "editor", ".json");
        Path err = Files.createTempFile(home, "editor", ".err");
        Process node = new ProcessBuilder("node", script.toString(), NpmServers.module("@agentclientprotocol/sdk/dist/v1/stable/acp.js").toString(),
                RunIT.JSON.writeValueAsString(scenario)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(120, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("the editor did not finish: " + Files.readString(err) + Files.readString(out));
        }
        String report = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(Files.readString(err)).isZero();
        JsonNode parsed = RunIT.JSON.readTree(report);
        assertThat(parsed.path("errors")).as(report).isEmpty();
        assertThat(parsed.path("exit").asInt(-1)).as("lathe acp ends when the editor closes its input: " + parsed.path("stderr").asString()).isZero();
        return parsed;
    }

    private static ObjectNode step(String what) { return RunIT.JSON.createObjectNode().put("do", what); }

    private static ObjectNode prompt(String text) { return step("prompt").put("text", text); }

    private static JsonNode result(JsonNode report, String step) {
        for (JsonNode r : report.path("results")) {
            if (r.path("step").asString().equals(step)) {
                assertThat(r.has("error")).as(step + " failed: " + r.path("error") + "\n" + report.path("stderr").asString()).isFalse();
                return r.path("result");
            }
        }
        throw new AssertionError("no step " + step + " in " + report);
    }

    private static List<JsonNode> updates(JsonNode report) {
        var updates = new ArrayList<JsonNode>();
        report.path("updates").forEach(u -> updates.add(u.path("update")));
        return updates;
    }

    private static List<String> kinds(List<JsonNode> updates) {
        return updates.stream().map(u -> u.path("sessionUpdate").asString()).toList();
    }

    private static String chunks(List<JsonNode> updates, String kind) {
        var text = new StringBuilder();
        updates.stream().filter(u -> u.path("sessionUpdate").asString().equals(kind)).forEach(u -> text.append(u.path("content").path("text").asString()));
        return text.toString();
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asString()).toList();
    }
}
