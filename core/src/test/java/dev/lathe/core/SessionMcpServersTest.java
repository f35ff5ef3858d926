package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionMcpServer;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP servers a client brings for one session ({@code setSessionMcp}, ACP's {@code mcpServers}) through the whole
 * core as the server runs it ({@link LatheCore}) with the real npm server-everything and the fake model: in an
 * untrusted folder, the session's turn calls the server's tool and stores its result; its subagent's session sees it;
 * another session of the same project neither is offered nor can call it; a project server of the same name is hidden
 * from that session only; the server starts from Lathe's environment without its provider key, with
 * the editor's own {@code env} added; a server that cannot start is reported and the turn works; an empty list stops
 * the process, as deleting the session does.
 */
class SessionMcpServersTest {
    private static final String KEY = "sk-ant-this-key-must-not-reach-the-server";

    @TempDir Path tmp;
    private FakeLlm llm;
    private LatheCore core;
    private Path project;

    @BeforeEach
    void open() throws Exception {
        open("");
    }

    /** @param extraConfig more top-level members of the user's lathe.json, starting with a comma */
    private void open(String extraConfig) throws Exception {
        if (core != null) core.close();
        if (llm != null) llm.close();
        llm = FakeLlm.start();
        Path root = tmp.toRealPath();
        project = Files.createDirectories(root.resolve("project"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(), "XDG_STATE_HOME", root.resolve("state").toString(),
                "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_DISABLE_MODELS_FETCH", "1",
                "ANTHROPIC_API_KEY", KEY, "LATHE_TEST_PLAIN", "plain-value", "PATH", System.getenv("PATH")));
        var paths = LathePaths.fromEnvironment(env);
        Files.createDirectories(paths.globalConfig().getParent());
        Files.writeString(paths.globalConfig(), "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"permission\": {\"ed_*\": \"allow\"}" + extraConfig + "}");
        core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")));
    }

    @AfterEach
    void close() {
        if (core != null) core.close();
        if (llm != null) llm.close();
    }

    private static SessionMcpServer everything() {
        return new SessionMcpServer.Stdio("ed", NpmServers.bin("mcp-server-everything").toString(), List.of(), Map.of("EDITOR_GIVEN", "from-the-editor"));
    }

    @Test
    void aSessionsOwnServerServesItsTurnsOnlyAndStopsWhenRemoved() throws Exception {
        var api = core.api();
        var mine = api.createSession(CreateSessionRequest.in(project.toString()));
        var other = api.createSession(CreateSessionRequest.in(project.toString()));
        List<Event> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable _ = api.subscribe(EventFilter.ALL, 0, e -> events.add(e.event()))) {
            var broken = new SessionMcpServer.Stdio("broken", "sh", List.of("-c", "echo broken on purpose >&2; exit 3"), Map.of());
            List<McpServerInfo> now = api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of(everything(), broken)));
            assertThat(now).extracting(McpServerInfo::name).containsExactly("ed", "broken");

            await(mine.id(), "ed", s -> s.status().equals("connected"));
            McpServerInfo failed = await(mine.id(), "broken", s -> s.status().equals("failed"));
            assertThat(failed.error()).as("why it is down (its stderr or how it ended)").hasValueSatisfying(e -> assertThat(e).isNotBlank());
            assertThat(api.sessionMcp(other.id())).isEmpty();
            assertThat(api.mcp(project.toString())).as("the project's own servers are unchanged").isEmpty();
            awaitTools(mine.id());
            var tools = core.mcpWiring().sessionTools();
            assertThat(tools.find(project, "someone-else", "ed_echo")).isEmpty();
            assertThat(tools.find(project, other.id().value(), "ed_echo")).isEmpty();
            // a subagent's session works for its parent: it sees the parent's servers
            var child = api.createSession(new CreateSessionRequest(project.toString(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(mine.id())));
            assertThat(tools.find(project, child.id().value(), "ed_echo")).isPresent();
            assertThat(tools.offered(project, child.id().value())).isNotEmpty();
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.SessionMcpStatusChanged.class,
                    s -> assertThat(s.sessionId()).isEqualTo(mine.id())));

            // the session's turn: the model calls the server's tools, the results are stored
            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.toolCall("c1", "ed_echo", "{\"message\":\"from the session\"}"), Step.toolCall("c2", "ed_get-env", "{}")));
            llm.enqueue(Turn.of(Step.text("Done.")));
            api.prompt(mine.id(), PromptRequest.text("use the editor's server"));
            assertThat(llm.awaitRequests(before + 2, Duration.ofSeconds(30))).isTrue();
            awaitIdle(mine.id());
            RecordedRequest first = llm.requests().get(before);
            assertThat(first.toolNames()).as("offered, or deferred behind tool_search").containsAnyOf("ed_echo", "tool_search");
            RecordedRequest second = llm.requests().get(before + 1);
            assertThat(second.toolResult("c1")).hasValueSatisfying(r -> assertThat(r).contains("Echo: from the session"));
            assertThat(second.toolResult("c2")).hasValueSatisfying(r -> assertThat(r)
                    .contains("EDITOR_GIVEN", "from-the-editor", "LATHE_TEST_PLAIN", "plain-value")
                    .doesNotContain("ANTHROPIC_API_KEY").doesNotContain(KEY));
            assertThat(completedOutput(mine.id(), "ed_echo")).contains("Echo: from the session");

            // another session of the same project is not offered the tools and cannot call them
            before = llm.requests().size();
            llm.enqueue(Turn.of(Step.toolCall("c3", "ed_echo", "{\"message\":\"stolen\"}")));
            llm.enqueue(Turn.of(Step.text("Done.")));
            api.prompt(other.id(), PromptRequest.text("try the other session's server"));
            assertThat(llm.awaitRequests(before + 2, Duration.ofSeconds(30))).isTrue();
            awaitIdle(other.id());
            assertThat(llm.requests().get(before).toolNames()).noneMatch(n -> n.startsWith("ed_")).doesNotContain("tool_search");
            assertThat(llm.requests().get(before + 1).toolResult("c3")).hasValueSatisfying(r -> assertThat(r)
                    .contains("Unknown tool").doesNotContain("Echo: stolen"));

            // an empty list stops the server: its process is gone and the session sees no tool of it
            List<ProcessHandle> running = servers();
            assertThat(running).as("server-everything runs for the session").isNotEmpty();
            assertThat(api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of()))).isEmpty();
            assertGone(running);
            assertThat(api.sessionMcp(mine.id())).isEmpty();
            assertThat(core.mcpWiring().sessionTools().offered(project, mine.id().value())).isEmpty();
        }
    }

    @Test
    void aDeletedSessionsServersStopAndBadRequestsAreRefused() throws Exception {
        var api = core.api();
        var mine = api.createSession(CreateSessionRequest.in(project.toString()));
        api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of(everything())));
        await(mine.id(), "ed", s -> s.status().equals("connected"));
        List<ProcessHandle> running = servers();
        assertThat(running).isNotEmpty();
        api.deleteSession(mine.id());
        assertGone(running);

        var next = api.createSession(CreateSessionRequest.in(project.toString()));
        assertThatThrownBy(() -> api.setSessionMcp(next.id(), new SessionMcpRequest(List.of(
                new SessionMcpServer.Http("web", "ftp://example.invalid/mcp", Map.of()))))).isInstanceOf(LatheException.InvalidInput.class)
                .hasMessageContaining("servers[0].url");
        assertThatThrownBy(() -> api.setSessionMcp(next.id(), new SessionMcpRequest(List.of(everything(), everything()))))
                .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("given twice");
        assertThatThrownBy(() -> api.setSessionMcp(next.id(), new SessionMcpRequest(List.of(
                new SessionMcpServer.Stdio("my server", "x", List.of(), Map.of()))))).isInstanceOf(LatheException.InvalidInput.class)
                .hasMessageContaining("may hold only");
        assertThatThrownBy(() -> api.setSessionMcp(new SessionId("ses_missing"), new SessionMcpRequest(List.of())))
                .isInstanceOf(LatheException.NotFound.class);
        assertThat(SessionMcpServer.nameFor("My Server.v2")).isEqualTo("My_Server_v2");
    }

    @Test
    void theServersOfAnEditorThatWentAwayStopOnceNoClientFollowedTheSessionForTheGrace() throws Exception {
        var api = core.api();
        core.mcpWiring().sessionServers().closeUnwatchedAfter(Duration.ofSeconds(1));
        var mine = api.createSession(CreateSessionRequest.in(project.toString()));
        // the editor's stream, as lathe acp holds it: the project's events
        AutoCloseable editor = api.subscribe(new EventFilter(Optional.of(project.toString()), Optional.empty()), 0, e -> {});
        api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of(everything())));
        await(mine.id(), "ed", s -> s.status().equals("connected"));
        List<ProcessHandle> running = servers();
        assertThat(running).isNotEmpty();
        // followed: they keep running past the grace (the check runs every 2 s)
        Thread.sleep(4_500);
        assertThat(api.sessionMcp(mine.id())).isNotEmpty();
        assertThat(running).allMatch(SessionMcpServersTest::alive);

        // the editor is killed: its stream ends without a PUT []; observers inside the server (plugins) do not count
        editor.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        // the tools' scope goes right after the servers (same check): wait for both
        while ((!api.sessionMcp(mine.id()).isEmpty() || !core.mcpWiring().sessionTools().offered(project, mine.id().value()).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(api.sessionMcp(mine.id())).isEmpty();
        assertGone(running);
        assertThat(core.mcpWiring().sessionServersIn(project)).as("the project instance may close again").isFalse();
        assertThat(core.mcpWiring().sessionTools().offered(project, mine.id().value())).isEmpty();
        // a client that comes back brings them again
        try (AutoCloseable _ = api.subscribe(EventFilter.session(mine.id()), 0, e -> {})) {
            api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of(everything())));
            await(mine.id(), "ed", s -> s.status().equals("connected"));
        }
    }

    @Test
    void aSessionsServerHidesTheProjectsServerOfTheSameNameForThatSessionOnly() throws Exception {
        open(", \"mcp\": {\"ed\": {\"type\": \"local\", \"command\": [\"" + NpmServers.bin("mcp-server-everything") + "\"]}}");
        var api = core.api();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!api.mcp(project.toString()).stream().allMatch(s -> s.status().equals("connected")) && System.nanoTime() < deadline) Thread.sleep(50);
        var mine = api.createSession(CreateSessionRequest.in(project.toString()));
        var other = api.createSession(CreateSessionRequest.in(project.toString()));
        api.setSessionMcp(mine.id(), new SessionMcpRequest(List.of(everything())));
        await(mine.id(), "ed", s -> s.status().equals("connected"));
        awaitTools(mine.id());
        assertThat(getEnv(mine.id())).as("the session's own ed").contains("EDITOR_GIVEN");
        assertThat(getEnv(other.id())).as("the project's ed").contains("\"PATH\"").doesNotContain("EDITOR_GIVEN");
    }

    /** What {@code ed_get-env} answers in a turn of session {@code id}. */
    private String getEnv(SessionId id) throws InterruptedException {
        int before = llm.requests().size();
        llm.enqueue(Turn.of(Step.toolCall("env", "ed_get-env", "{}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
        core.api().prompt(id, PromptRequest.text("print the environment"));
        assertThat(llm.awaitRequests(before + 2, Duration.ofSeconds(30))).isTrue();
        awaitIdle(id);
        return llm.requests().get(before + 1).toolResult("env").orElseThrow();
    }

    private McpServerInfo await(SessionId id, String name, Predicate<McpServerInfo> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<McpServerInfo> found = core.api().sessionMcp(id).stream().filter(s -> s.name().equals(name)).findFirst();
            if (found.isPresent() && done.test(found.get())) return found.get();
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected state: " + core.api().sessionMcp(id));
    }

    /** A connected server's tools are listed on a background thread right after it connects. */
    private void awaitTools(SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        var tools = core.mcpWiring().sessionTools();
        while (tools.find(project, id.value(), "ed_echo").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(tools.find(project, id.value(), "ed_echo")).isPresent();
    }

    private void awaitIdle(SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(core.api().status(id) instanceof SessionStatus.Idle) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(core.api().status(id)).isInstanceOf(SessionStatus.Idle.class);
    }

    private String completedOutput(SessionId id, String tool) {
        return core.api().messages(id).stream().flatMap(m -> m.parts().stream())
                .filter(p -> p instanceof Part.Tool t && t.tool().equals(tool)).map(p -> ((Part.Tool) p).state())
                .filter(s -> s instanceof ToolState.Completed).map(s -> ((ToolState.Completed) s).output()).findFirst().orElse("");
    }

    /** The server-everything processes this JVM started (each runs in its own process group, still our descendant). */
    private static List<ProcessHandle> servers() {
        return ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("server-everything")).toList();
    }

    private static void assertGone(List<ProcessHandle> processes) throws InterruptedException {
        // the kill is sent before the call returns; a process may take a moment to be gone on a loaded machine
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (processes.stream().anyMatch(SessionMcpServersTest::alive) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(processes).noneMatch(SessionMcpServersTest::alive);
    }

    /** A zombie (killed, not reaped where PID 1 does not reap) counts as gone. */
    private static boolean alive(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            char s = stat.charAt(stat.lastIndexOf(')') + 2);
            return s != 'Z' && s != 'X';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
