package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry end to end (DESIGN §29, §18 "Integrations (§29)"): a real {@code lathe run} against the fake model sends
 * its turn, model requests, tool calls and a subagent's turn as GenAI spans, and its metrics, to a collector of our own
 * on loopback ({@link OtlpReceiver}, protobuf decoded); the session's words go out only with
 * {@code "telemetry": {"content": true}}, keys never; a collector that refuses or hangs costs the turn nothing and is
 * said once; without telemetry no OpenTelemetry class is loaded.
 */
class TelemetryIT {
    static final String KEY = "sk-otel-provider-key-5d1e";
    static final String PROMPT = "PROMPT-MARKER review the tree";
    static final String REVIEWER = """
            ---
            description: Reviews the working tree
            mode: subagent
            ---
            REVIEWER-PROMPT: You review changes and report in one line.
            """;
    static final String CANNOT_SEND = "telemetry: cannot send to the OTLP collector at ";

    @TempDir Path home;

    /** The parent runs a command, a denied command and the reviewer side by side, then answers; the reviewer answers at once. */
    static void script(FakeLlm llm) {
        llm.respondWith(r -> {
            if (r.system().contains("REVIEWER-PROMPT")) return Turn.of(Step.text("CHILD-ANSWER-MARKER all good")).usage(40, 8, 0, 0);
            return r.toolResult("t1").isEmpty()
                    ? Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo TOOL-ARG-MARKER\"}"), Step.toolCall("c2", "bash", "{\"command\":\"rm -rf gone\"}"),
                            Step.toolCall("t1", "task", "{\"description\":\"Review\",\"prompt\":\"Review the working tree\",\"agent\":\"reviewer\"}"))
                            .finish("tool_use").usage(120, 30, 50, 10)
                    : Turn.of(Step.text("PARENT-ANSWER-MARKER done")).usage(200, 12, 150, 0);
        });
    }

    static String config(FakeLlm llm, String telemetry) {
        return "{\"model\": \"anthropic/claude-sonnet-4-5\", \"permission\": {\"*\": \"allow\", \"bash\": {\"*\": \"allow\", \"rm *\": \"deny\"}},"
                + " \"provider\": {\"anthropic\": {\"baseUrl\": \"" + llm.baseUrl() + "\", \"apiKey\": \"" + KEY + "\"}}" + telemetry + "}";
    }

    static TempWorkspace project() {
        return TempWorkspace.create().write("a.txt", "x\n").write(".lathe/agents/reviewer.md", REVIEWER).initGitRepo();
    }

    /** The classes the run loaded, as {@code -Xlog:class+load} wrote them. */
    private Lathe logging(Lathe lathe, Path classes) {
        return lathe.withJvmFlags(List.of("-Xlog:class+load=info:file=" + classes));
    }

    private String latheLog() throws IOException {
        Path log = home.resolve("state/lathe/lathe.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void aRunSendsItsTurnRequestsToolCallsAndChildAsSpansAndMetricsWithoutContent() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project(); var collector = OtlpReceiver.start()) {
            script(llm);
            Path classes = home.resolve("classes.txt");
            var lathe = logging(new Lathe(home, config(llm, "")), classes).withEnv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url())
                    .withEnv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=it")
                    .withEnv("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer collector-token-77");
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("PARENT-ANSWER-MARKER");
            assertThat(collector.headers()).contains("Bearer collector-token-77");
            List<OtlpReceiver.Span> spans = collector.spans();
            var turns = named(spans, "invoke_agent");
            assertThat(turns).hasSize(2);
            var parentTurn = turns.stream().filter(s -> s.parentId().isEmpty()).findFirst().orElseThrow();
            assertThat(parentTurn.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent").containsEntry("gen_ai.agent.name", "build")
                    .containsEntry("gen_ai.provider.name", "anthropic").containsEntry("gen_ai.request.model", "claude-sonnet-4-5")
                    .containsKey("gen_ai.conversation.id");
            var chats = named(spans, "chat").stream().filter(s -> s.parentId().equals(parentTurn.spanId())).toList();
            assertThat(chats).hasSize(2);
            // the turn's usage is its requests' (input as the protocol counts it beside the cache's tokens)
            for (String usage : List.of("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens")) {
                assertThat(parentTurn.attribute(usage)).as(usage + " of " + chats).isEqualTo(chats.stream().mapToLong(c -> (Long) c.attribute(usage)).sum());
            }
            var first = chats.stream().filter(s -> List.of("tool_calls").equals(s.attribute("gen_ai.response.finish_reasons"))).findFirst().orElseThrow();
            assertThat(first.attributes()).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.response.model", "claude-sonnet-4-5")
                    .containsEntry("gen_ai.usage.output_tokens", 30L).containsEntry("gen_ai.usage.cache_read.input_tokens", 50L)
                    .containsEntry("gen_ai.usage.cache_creation.input_tokens", 10L);
            assertThat((Long) first.attribute("gen_ai.usage.input_tokens")).isPositive();
            assertThat((Double) first.attribute("lathe.cost.usd")).isPositive();
            var tools = named(spans, "execute_tool");
            assertThat(tools).allSatisfy(t -> assertThat(t.parentId()).isEqualTo(parentTurn.spanId()));
            assertThat(call(tools, "c1").attributes()).containsEntry("gen_ai.tool.name", "bash").containsEntry("lathe.tool.outcome", "ok");
            assertThat(call(tools, "c2").attributes()).containsEntry("lathe.tool.outcome", "denied").containsEntry("error.type", "denied");
            var task = call(tools, "t1");
            assertThat(task.attributes()).containsEntry("gen_ai.tool.name", "task").containsEntry("lathe.tool.outcome", "ok");
            var childTurn = turns.stream().filter(s -> !s.parentId().isEmpty()).findFirst().orElseThrow();
            assertThat(childTurn.parentId()).as("the child's turn is a child of the task call").isEqualTo(task.spanId());
            assertThat(childTurn.attributes()).containsEntry("gen_ai.agent.name", "reviewer");
            assertThat(named(spans, "chat")).anySatisfy(c -> assertThat(c.parentId()).isEqualTo(childTurn.spanId()));
            assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(parentTurn.traceId()));

            var points = collector.points();
            assertThat(points).anySatisfy(p -> {
                assertThat(p.metric()).isEqualTo("gen_ai.client.token.usage");
                assertThat(p.attributes()).containsEntry("gen_ai.token.type", "input").containsEntry("gen_ai.operation.name", "chat");
            });
            assertThat(points).anySatisfy(p -> assertThat(p.metric()).isEqualTo("gen_ai.client.operation.duration"));
            assertThat(points).anySatisfy(p -> assertThat(p.metric()).isEqualTo("lathe.cost"));
            assertThat(points).anySatisfy(p -> {
                assertThat(p.metric()).isEqualTo("lathe.tool.duration");
                assertThat(p.attributes()).containsEntry("gen_ai.tool.name", "bash").containsEntry("lathe.tool.outcome", "denied");
            });
            for (String decision : List.of("allow", "deny")) {
                assertThat(points).anySatisfy(p -> {
                    assertThat(p.metric()).isEqualTo("lathe.permission.decisions");
                    assertThat(p.attributes()).containsEntry("lathe.permission", "bash").containsEntry("lathe.permission.decision", decision)
                            .containsEntry("lathe.permission.by", "rule");
                });
            }
            // no words of the session, no key, none of the collector's own token in what was sent
            assertThat(collector.raw()).contains("deployment.environment.name").doesNotContain("PROMPT-MARKER").doesNotContain("TOOL-ARG-MARKER")
                    .doesNotContain("PARENT-ANSWER-MARKER").doesNotContain("CHILD-ANSWER-MARKER").doesNotContain(KEY).doesNotContain("collector-token-77");
            assertThat(Files.readString(classes)).contains("io.opentelemetry.sdk");
            assertThat(r.stderr()).doesNotContain("opentelemetry");
            assertThat(latheLog()).doesNotContain(CANNOT_SEND);
        }
    }

    @Test
    void withContentOnThePromptAnswerArgumentsAndResultsGoOutButNeverTheKey() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project(); var collector = OtlpReceiver.start()) {
            script(llm);
            // the collector from the user's config alone
            var lathe = new Lathe(home, config(llm, ", \"telemetry\": {\"otlp\": \"" + collector.url() + "\", \"content\": true}"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);

            assertThat(r.exit()).as(r.stderr()).isZero();
            var parentTurn = named(collector.spans(), "invoke_agent").stream().filter(s -> s.parentId().isEmpty()).findFirst().orElseThrow();
            assertThat((String) parentTurn.attribute("gen_ai.input.messages")).contains("PROMPT-MARKER").contains("\"role\":\"user\"");
            assertThat((String) parentTurn.attribute("gen_ai.output.messages")).contains("PARENT-ANSWER-MARKER");
            var c1 = call(named(collector.spans(), "execute_tool"), "c1");
            assertThat((String) c1.attribute("gen_ai.tool.call.arguments")).contains("TOOL-ARG-MARKER");
            assertThat((String) c1.attribute("gen_ai.tool.call.result")).contains("TOOL-ARG-MARKER");
            assertThat(collector.raw()).contains("CHILD-ANSWER-MARKER").doesNotContain(KEY);
        }
    }

    @Test
    void aCollectorThatRefusesOrHangsCostsTheTurnNothingAndIsSaidOnce() throws Exception {
        int refusing;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = closed.getLocalPort();
        }
        List<Socket> held = new ArrayList<>();
        try (var llm = FakeLlm.start(); var ws = project(); var hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // accepts every connection and never answers
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) held.add(hanging.accept());
                } catch (IOException e) {
                    // closed at the end
                }
            });
            for (int port : List.of(refusing, hanging.getLocalPort())) {
                llm.respondWith(q -> Turn.of(Step.text("PARENT-ANSWER-MARKER done")));
                Files.deleteIfExists(home.resolve("state/lathe/lathe.log"));
                var lathe = new Lathe(home, config(llm, "")).withEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port)
                        .withEnv("OTEL_BSP_SCHEDULE_DELAY", "50").withEnv("OTEL_EXPORTER_OTLP_TIMEOUT", "30000");
                long started = System.nanoTime();
                var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);
                long millis = (System.nanoTime() - started) / 1_000_000;

                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(r.stdout()).contains("PARENT-ANSWER-MARKER");
                assertThat(r.stderr()).doesNotContain("opentelemetry").doesNotContain("SEVERE");
                // the exporter waits 30 s for an answer: the run never waits for it, only (2 s at most) for the last export
                assertThat(millis).as("run took " + millis + " ms").isLessThan(20_000);
                List<String> said = latheLog().lines().filter(l -> l.contains(CANNOT_SEND)).toList();
                assertThat(said).as(latheLog()).hasSize(1);
                assertThat(said.getFirst()).contains("http://127.0.0.1:" + port);
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }

    /**
     * Issue 82: {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/json}, a value the OTLP specification defines, turned telemetry off
     * with one line in the log only; the run and the doctor now say so on the terminal, naming the value to set.
     */
    @Test
    void aProtocolLatheDoesNotSendIsSaidOnTheTerminalAtStart() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project(); var collector = OtlpReceiver.start()) {
            llm.respondWith(q -> Turn.of(Step.text("PARENT-ANSWER-MARKER done")));
            var lathe = new Lathe(home, config(llm, "")).withEnv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url())
                    .withEnv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json").withEnv("OTEL_BSP_SCHEDULE_DELAY", "50");
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("PARENT-ANSWER-MARKER");
            String said = "lathe: telemetry is off: OTEL_EXPORTER_OTLP_PROTOCOL=http/json is a protocol Lathe does not send (it sends http/protobuf,"
                    + " which an OpenTelemetry Collector takes on the same port 4318); set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf";
            assertThat(r.stderr().lines().toList()).first().isEqualTo(said);
            assertThat(collector.spans()).isEmpty();
            assertThat(latheLog()).contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/json is a protocol Lathe does not send");

            var doctor = lathe.run("doctor", "--dir", ws.path().toString());
            assertThat(doctor.stdout().lines().filter(l -> l.startsWith("warn  telemetry")).toList()).singleElement().asString()
                    .contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/json");
            assertThat(doctor.stderr()).as("said once, as the doctor's line").doesNotContain("telemetry");

            var fixed = lathe.withEnv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf").run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);
            assertThat(fixed.stderr()).doesNotContain("telemetry");
        }
    }

    @Test
    void withoutTelemetryNoOpenTelemetryClassLoads() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            llm.respondWith(q -> Turn.of(Step.text("PARENT-ANSWER-MARKER done")));
            Path classes = home.resolve("classes-off.txt");
            var r = logging(new Lathe(home, config(llm, "")), classes).run("run", "--dir", ws.path().toString(), "--allow-all", PROMPT);

            assertThat(r.exit()).as(r.stderr()).isZero();
            String loaded = Files.readString(classes);
            assertThat(loaded).contains("dev.lathe.core.telemetry.TracedEvents").doesNotContain("io.opentelemetry");
        }
    }

    private static List<OtlpReceiver.Span> named(List<OtlpReceiver.Span> spans, String operation) {
        return spans.stream().filter(s -> operation.equals(s.attribute("gen_ai.operation.name"))).toList();
    }

    private static OtlpReceiver.Span call(List<OtlpReceiver.Span> tools, String id) {
        return tools.stream().filter(s -> id.equals(s.attribute("gen_ai.tool.call.id"))).findFirst().orElseThrow();
    }
}
