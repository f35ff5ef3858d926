package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.failed;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications end to end (DESIGN §18 "Notifications"): the real core with the scripted model, the user's
 * {@code notify} webhook a loopback HTTP receiver and their command a shell script: an ask, a finished turn and a failed
 * one are told as {@code ask}, {@code done} and {@code failed}, with neutral text unless {@code includeText}; the command
 * gets the same JSON on stdin; a project's {@code notify} is not obeyed; Claude Code's {@code Notification} hook fires on
 * an ask and when the agent waits for input.
 */
class NotificationsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    private HttpServer receiver;
    private final LinkedBlockingQueue<JsonNode> posted = new LinkedBlockingQueue<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            posted.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() { receiver.stop(0); }

    private String webhook(String path) { return "http://127.0.0.1:" + receiver.getAddress().getPort() + path; }

    private Harness harness(String notify) throws Exception {
        return Harness.withHooks(tmp, ", \"permission\": {\"bash\": \"ask\"}, \"notify\": " + notify, 10, HookRunLog.NONE);
    }

    private JsonNode next() throws InterruptedException {
        JsonNode notice = posted.poll(20, TimeUnit.SECONDS);
        assertThat(notice).as("a notice reached the webhook").isNotNull();
        return notice;
    }

    private static LlmEvent[] calls(LlmEvent[] call) {
        return Stream.concat(Stream.of(call), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    @Test
    void anAskAFinishedTurnAndAFailedOneReachTheWebhookWithNeutralText() throws Exception {
        try (var h = harness("{\"webhook\": \"" + webhook("/hook") + "\"}")) {
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"echo hi\",\"description\":\"say hi\"}")));
            h.llm.then(text("all done, SECRET ANSWER"), finish(StopReason.STOP));
            h.api.prompt(session.id(), PromptRequest.text("my private prompt"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);

            JsonNode ask = next();
            assertThat(ask.path("event").asString()).isEqualTo("ask");
            assertThat(ask.path("sessionId").asString()).isEqualTo(session.id().value());
            assertThat(ask.path("directory").asString()).isEqualTo(session.directory());
            assertThat(ask.path("text").asString()).isEqualTo("permission asked: bash");
            assertThat(ask.path("title").asString()).as("the title is made from the prompt: the folder's name instead").isEqualTo("project");

            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(session.id());
            JsonNode done = next();
            assertThat(done.path("event").asString()).isEqualTo("done");
            assertThat(done.path("text").asString()).isEqualTo("turn finished");
            assertThat(done.toString()).doesNotContain("my private prompt").doesNotContain("SECRET ANSWER");

            h.llm.then(failed(new LlmError.InvalidRequest(400, "the model said NO WAY")));
            h.promptAndWait(session.id(), "again");
            JsonNode fail = next();
            assertThat(fail.path("event").asString()).isEqualTo("failed");
            assertThat(fail.path("text").asString()).startsWith("turn failed: ").doesNotContain("NO WAY");
            assertThat(posted.poll(500, TimeUnit.MILLISECONDS)).as("a failed turn is no done as well").isNull();
            assertThat(paths).containsOnly("/hook");
        }
    }

    /**
     * Issue 71: a turn someone watches (a client following the session: an attached {@code lathe run}, the terminal UI) is
     * not told by default ({@code "when": "away"}); {@code "always"} tells it all the same; a session nobody follows
     * is told either way.
     */
    @Test
    void aWatchedTurnIsToldOnlyWhenAlways() throws Exception {
        try (var h = harness("{\"webhook\": \"" + webhook("/hook") + "\", \"on\": [\"done\"]}")) {
            var session = h.session();
            try (AutoCloseable attached = h.api.subscribe(dev.lathe.protocol.api.EventFilter.session(session.id()), 0, e -> { })) {
                h.llm.then(text("watched"), finish(StopReason.STOP));
                h.promptAndWait(session.id(), "while attached");
                assertThat(posted.poll(1, TimeUnit.SECONDS)).as("the user watches this turn").isNull();
            }
            // as `lathe run` follows its turn: the session's whole folder (its subagents' asks too)
            try (AutoCloseable folder = h.api.subscribe(new dev.lathe.protocol.api.EventFilter(java.util.Optional.of(session.directory()),
                    java.util.Optional.empty()), 0, e -> { })) {
                h.llm.then(text("watched"), finish(StopReason.STOP));
                h.promptAndWait(session.id(), "while lathe run follows the folder");
                assertThat(posted.poll(1, TimeUnit.SECONDS)).as("the user watches this turn").isNull();
            }
            h.llm.then(text("away"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "nobody attached");
            assertThat(next().path("event").asString()).isEqualTo("done");
        }
        try (var h = Harness.withHooks(Files.createDirectories(tmp.resolve("always")), ", \"notify\": {\"webhook\": \"" + webhook("/always") + "\", \"on\": [\"done\"], \"when\": \"always\"}",
                10, HookRunLog.NONE)) {
            var session = h.session();
            try (AutoCloseable attached = h.api.subscribe(dev.lathe.protocol.api.EventFilter.session(session.id()), 0, e -> { })) {
                h.llm.then(text("watched"), finish(StopReason.STOP));
                h.promptAndWait(session.id(), "while attached");
                assertThat(next().path("event").asString()).isEqualTo("done");
            }
        }
    }

    @Test
    void anAskNobodyCanAnswerIsDeniedAndTheUserIsToldOfIt() throws Exception {
        // DESIGN §26: "unattended": "deny" makes every ask one nobody answers; the denial is told as an ask, neutrally
        try (var h = Harness.withHooks(tmp, ", \"permission\": {\"bash\": \"ask\", \"unattended\": \"deny\"}, \"notify\": {\"webhook\": \""
                + webhook("/hook") + "\", \"on\": [\"ask\"]}", 10, HookRunLog.NONE)) {
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"echo SECRET-COMMAND\",\"description\":\"say hi\"}")));
            h.llm.then(text("went on without it"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "my private prompt");

            JsonNode denied = next();
            assertThat(denied.path("event").asString()).isEqualTo("ask");
            assertThat(denied.path("sessionId").asString()).isEqualTo(session.id().value());
            assertThat(denied.path("text").asString()).isEqualTo("permission denied, nobody could answer: bash");
            assertThat(denied.toString()).doesNotContain("SECRET-COMMAND");
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
        }
    }

    @Test
    void theCommandGetsTheSameJsonOnStdinAndIncludeTextLetsTheErrorOut() throws Exception {
        Path seen = tmp.resolve("seen");
        Files.createDirectories(seen);
        Path script = tmp.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\ncat > \"" + seen + "/n.$$.part\" && mv \"" + seen + "/n.$$.part\" \"" + seen + "/n.$$.json\"\n"
                + "env > \"" + seen + "/env.$$.txt\"\n");
        script.toFile().setExecutable(true);
        try (var h = harness("{\"webhook\": \"" + webhook("/x") + "\", \"command\": [\"" + script + "\"], \"on\": [\"failed\"], \"includeText\": true}")) {
            var session = h.session();
            h.llm.then(failed(new LlmError.InvalidRequest(400, "the model said NO WAY")));
            h.promptAndWait(session.id(), "go");
            JsonNode fail = next();
            assertThat(fail.path("event").asString()).isEqualTo("failed");
            assertThat(fail.path("text").asString()).contains("NO WAY");
            assertThat(fail.path("title").asString()).isEqualTo("go");
            List<Path> files = List.of();
            for (int i = 0; i < 500 && files.isEmpty(); i++) {
                Thread.sleep(20);
                try (var listed = Files.list(seen)) {
                    files = listed.filter(f -> f.toString().endsWith(".json")).toList();
                }
            }
            assertThat(files).singleElement().satisfies(f -> assertThat(JSON.readTree(Files.readString(f))).isEqualTo(fail));
            // the command's environment is a child's: no provider key by name
            try (var listed = Files.list(seen)) {
                Path env = listed.filter(f -> f.toString().endsWith(".txt")).findFirst().orElseThrow();
                for (int i = 0; i < 100 && Files.size(env) == 0; i++) Thread.sleep(20);
                assertThat(Files.readString(env)).contains("PATH=").doesNotContain("LATHE_CONFIG_CONTENT");
            }

            h.llm.then(text("fine"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "again");
            assertThat(posted.poll(1, TimeUnit.SECONDS)).as("done is not among the events asked for").isNull();
        }
    }

    @Test
    void aWebhookThatNeverAnswersDelaysNeitherTheTurnNorTheCommand() throws Exception {
        var hung = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var release = new java.util.concurrent.CountDownLatch(1);
        hung.createContext("/", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hung.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        hung.start();
        Path ran = tmp.resolve("command-ran");
        // each of the three turns' commands appends a line: the test waits for all three, so none writes into the
        // folder while JUnit deletes it
        try (var h = harness("{\"webhook\": \"http://127.0.0.1:" + hung.getAddress().getPort() + "/never\", \"command\": [\"sh\", \"-c\", \"echo ran >> '"
                + ran + "'\"]}")) {
            var session = h.session();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                h.llm.then(text("ok"), finish(StopReason.STOP));
                h.promptAndWait(session.id(), "turn " + i);
            }
            for (int i = 0; i < 400 && (!Files.exists(ran) || Files.readAllLines(ran).size() < 3); i++) Thread.sleep(20);
            assertThat(Files.readAllLines(ran)).as("the command ran beside the hung webhook, once a turn").hasSize(3);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(8));
        } finally {
            release.countDown();
            hung.stop(0);
        }
    }

    @Test
    void aProjectsNotifyIsNotObeyed() throws Exception {
        try (var h = harness("{\"webhook\": \"" + webhook("/user") + "\", \"on\": [\"done\"]}")) {
            Files.createDirectories(h.project.resolve(".lathe"));
            Files.writeString(h.project.resolve(".lathe/lathe.json"), "{\"notify\": {\"webhook\": \"" + webhook("/project") + "\", \"on\": [\"ask\", \"done\"],"
                    + " \"command\": [\"touch\", \"" + tmp.resolve("project-ran") + "\"]}}");
            h.trustProject();
            var session = h.session();
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "hi");
            assertThat(next().path("event").asString()).isEqualTo("done");
            assertThat(posted.poll(500, TimeUnit.MILLISECONDS)).isNull();
            assertThat(paths).containsExactly("/user");
            assertThat(tmp.resolve("project-ran")).doesNotExist();
            assertThat(h.projects.get(h.project.toString()).config().notifications().webhook()).contains(webhook("/user"));
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void claudeCodesNotificationHookFiresOnAnAskAndWhenTheAgentWaitsForInput() throws Exception {
        Path seen = Files.createDirectories(tmp.resolve("seen"));
        Path script = tmp.resolve("hook.sh");
        Files.writeString(script, "#!/bin/sh\ncat > \"" + seen + "/h.$$.part\" && mv \"" + seen + "/h.$$.part\" \"" + seen + "/h.$$.json\"\n");
        script.toFile().setExecutable(true);
        List<HookRun> runs = new CopyOnWriteArrayList<>();
        try (var h = Harness.withHooks(tmp, ", \"permission\": {\"bash\": \"ask\"}", 10, (s, c, r) -> runs.addAll(r))) {
            Files.createDirectories(h.project.resolve(".claude"));
            Files.writeString(h.project.resolve(".claude/settings.json"), "{\"hooks\": {\"Notification\": [{\"hooks\": [{\"type\": \"command\", \"command\": \""
                    + script + "\"}]}]}}");
            h.trustProject();
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"echo hi\",\"description\":\"say hi\"}")));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.api.prompt(session.id(), PromptRequest.text("hi"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(session.id());
            List<JsonNode> inputs = List.of();
            for (int i = 0; i < 500 && inputs.size() < 2; i++) {
                Thread.sleep(20);
                try (var listed = Files.list(seen)) {
                    inputs = listed.filter(f -> f.toString().endsWith(".json")).map(NotificationsTest::read).toList();
                } catch (java.io.UncheckedIOException e) {
                    inputs = List.of();
                }
            }
            assertThat(inputs).allSatisfy(n -> {
                assertThat(n.path("hook_event_name").asString()).isEqualTo("Notification");
                assertThat(n.path("session_id").asString()).isEqualTo(session.id().value());
                assertThat(n.path("cwd").asString()).isNotEmpty();
                assertThat(n.path("message").asString()).isNotEmpty();
            });
            assertThat(inputs).extracting(n -> n.path("notification_type").asString()).containsExactlyInAnyOrder("permission_prompt", "idle_prompt");
        }
    }
}
