package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe run} end to end: the packaged jar, a real git repo, real bash and python, the FakeLlm on loopback. */
class RunIT {
    static final String KEY = "sk-lathe-marker-7f3a9c";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;

    static TempWorkspace project() {
        var ws = TempWorkspace.create();
        ws.write("greet.py", "def greet(name):\n    return \"Hello, \" + name + \"!\"\n");
        ws.write("test_greet.py", """
                import unittest
                from greet import greet


                class GreetTest(unittest.TestCase):
                    def test_greet(self):
                        self.assertEqual(greet("Ada"), "Hello, Ada!")


                if __name__ == "__main__":
                    unittest.main()
                """);
        return ws.initGitRepo();
    }

    static void scriptRealisticTask(FakeLlm llm) {
        llm.enqueue(Turn.of(Step.text("Let me read the code and its test."),
                Step.toolCall("call_read1", "read", "{\"path\":\"greet.py\"}"),
                Step.toolCall("call_read2", "read", "{\"path\":\"test_greet.py\"}")));
        llm.enqueue(Turn.of(
                Step.toolCall("call_edit1", "edit", "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}"),
                Step.toolCall("call_edit2", "edit", "{\"path\":\"test_greet.py\",\"oldString\":\"\\\"Hello, Ada!\\\"\",\"newString\":\"\\\"Hi, Ada!\\\"\"}")));
        llm.enqueue(Turn.of(Step.toolCall("call_test", "bash", "{\"command\":\"python3 -m unittest -v test_greet 2>&1\"}")));
        llm.enqueue(Turn.of(Step.text("Done: greet() now says Hi and the test passes.")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aRealisticTaskEditsTwoFilesRunsTheTestsAndAnswers(String protocol) throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            scriptRealisticTask(llm);
            var lathe = new Lathe(home, Lathe.providerConfig(protocol, llm.baseUrl(), KEY));

            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "--format", "json",
                    "Change the greeting to Hi and update the test, then run the tests.");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(ws.read("greet.py")).contains("return \"Hi, \" + name");
            assertThat(ws.read("test_greet.py")).contains("\"Hi, Ada!\"");
            assertThat(llm.requests()).hasSize(4);
            assertThat(llm.requests().get(1).toolResult("call_read1")).hasValueSatisfying(t -> assertThat(t).contains("def greet(name):"));
            assertThat(llm.requests().get(1).toolResult("call_read2")).hasValueSatisfying(t -> assertThat(t).contains("class GreetTest"));
            assertThat(llm.requests().get(3).toolResult("call_test")).hasValueSatisfying(t -> assertThat(t).contains("OK").contains("test_greet"));
            assertThat(llm.requests().getFirst().toolNames()).contains("bash", "edit", "read", "write", "grep", "glob", "list");
            // the cached prefix holds from step to step: each request starts with the previous one's messages
            // (Anthropic cache breakpoints move with the conversation's end, so they are left out of the comparison)
            for (int i = 1; i < 4; i++) {
                var before = withoutCacheControl(llm.requests().get(i - 1).messages());
                assertThat(withoutCacheControl(llm.requests().get(i).messages()).subList(0, before.size())).isEqualTo(before);
                assertThat(llm.requests().get(i).system()).isEqualTo(llm.requests().getFirst().system());
            }

            List<JsonNode> events = r.stdout().lines().map(JSON::readTree).toList();
            // every line is a server event, but the last: the run's own result (DESIGN §5)
            assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.has("seq") && e.has("type")).isTrue());
            assertThat(events.getLast().path("type").asString()).isEqualTo("result");
            assertThat(events.getLast().path("text").asString()).isEqualTo("Done: greet() now says Hi and the test passes.");
            assertThat(events.getLast().path("steps").asInt()).isEqualTo(4);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.path("type").asString()).isEqualTo("message.part.updated");
                assertThat(e.path("part").path("tool").asString()).isEqualTo("bash");
                assertThat(e.path("part").path("state").path("status").asString()).isEqualTo("completed");
            });
            assertThat(events.stream().filter(e -> e.path("type").asString().equals("message.part.delta"))
                    .map(e -> e.path("delta").asString()).reduce("", String::concat)).contains("Done: greet() now says Hi");
            assertThat(r.stdout() + r.stderr()).doesNotContain(KEY);
            assertThat(Files.readAllBytes(lathe.database())).asString().doesNotContain(KEY);
        }
    }

    static List<JsonNode> withoutCacheControl(List<JsonNode> messages) {
        return messages.stream().map(m -> {
            JsonNode copy = m.deepCopy();
            strip(copy);
            return copy;
        }).toList();
    }

    private static void strip(JsonNode node) {
        if (node instanceof tools.jackson.databind.node.ObjectNode o) o.remove("cache_control");
        for (JsonNode child : node) strip(child);
    }

    @Test
    void textFormatPrintsTheAnswerAndAContinuedRunSeesTheHistory() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"greet.py\"}")));
            llm.enqueue(Turn.of(Step.text("greet() returns a greeting.")));
            llm.enqueue(Turn.of(Step.text("Still the same function.")));
            var lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), KEY));

            var first = lathe.run("run", "--dir", ws.path().toString(), "what does greet do?");
            assertThat(first.exit()).as(first.stderr()).isZero();
            assertThat(first.stdout().strip()).isEqualTo("greet() returns a greeting.");
            assertThat(first.stderr()).contains("read");

            var second = lathe.run("run", "--dir", ws.path().toString(), "--continue", "and now?");
            assertThat(second.exit()).as(second.stderr()).isZero();
            assertThat(second.stdout().strip()).isEqualTo("Still the same function.");
            assertThat(llm.requests().get(2).json().toString()).contains("what does greet do?").contains("greet() returns a greeting.");
        }
    }

    @Test
    void withoutAllowAllAnEditIsRejectedAndTheRunExitsWith3() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"new.txt\",\"content\":\"x\"}")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), KEY));

            var r = lathe.run("run", "--dir", ws.path().toString(), "write a file");

            assertThat(r.exit()).as(r.stderr()).isEqualTo(3);
            assertThat(r.stderr()).contains("permission rejected").contains("--allow-all");
            // issue 53: the run's own policy said no, not the user
            assertThat(r.stderr()).contains("write rejected by lathe run").doesNotContain("by you");
            assertThat(ws.path().resolve("new.txt")).doesNotExist();
            assertThat(llm.requests()).hasSize(1);
        }
    }

    @Test
    void aSpendLimitStopsTheRunWithExitCode4EvenWithAllowAll() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            // the first step reports 6,000 input and 20 output tokens: it passes the 5,000-token limit (a request goes out only
            // while what is spent plus its estimate, its whole prompt, stays within the limit)
            llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"greet.py\"}")).usage(6_000, 20, 0, 0));
            llm.enqueue(Turn.of(Step.text("never asked for")));
            var lathe = new Lathe(home, "{\"limits\": {\"session\": {\"tokens\": 5000}}, " + Lathe.providerConfig("openai-chat", llm.baseUrl(), KEY).substring(1));

            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "what does greet do?");

            assertThat(r.exit()).as(r.stderr()).isEqualTo(4);
            assertThat(r.stderr()).contains("lathe: spend limit reached: session 6,020 tokens of 5,000 tokens (limits.session.tokens). Raise limits.session.tokens")
                    .contains("lathe run --session ses_");
            assertThat(llm.requests()).hasSize(1);
        }
    }

    @Test
    void aHeadlessRunOffersNoQuestionToolAndTheModelProceeds() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            llm.enqueue(Turn.of(Step.toolCall("c1", "question", "{\"questions\":[{\"question\":\"Which name?\",\"options\":[\"a\",\"b\"]}]}")));
            llm.enqueue(Turn.of(Step.text("Going with a.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), KEY));

            var r = lathe.run("run", "--dir", ws.path().toString(), "rename it");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo("Going with a.");
            assertThat(llm.requests()).hasSize(2);
            // nobody can answer a question in lathe run: the session is never offered the tool, and the model is told so once
            // (decision 494); a call to it anyway is an unknown tool, which the model reads and goes on from
            assertThat(llm.requests()).allSatisfy(q -> assertThat(q.toolNames()).contains("bash").doesNotContain("question"));
            assertThat(llm.requests().getFirst().body()).contains("nobody can answer questions");
            assertThat(llm.requests().get(1).toolResult("c1")).hasValueSatisfying(t -> assertThat(t).contains("Unknown tool 'question'"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages"})
    void rateLimitsAndOverloadsAreRetriedUntilTheAnswerComes(String protocol) throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            boolean anthropic = protocol.startsWith("anthropic");
            llm.enqueue(Turn.httpError(429, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"
                    : "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}", java.util.Map.of("retry-after-ms", "50")));
            llm.enqueue(Turn.httpError(anthropic ? 529 : 503, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                    : "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}", java.util.Map.of("retry-after", "0.1")));
            llm.enqueue(Turn.of(Step.text("third time lucky")));
            var lathe = new Lathe(home, Lathe.providerConfig(protocol, llm.baseUrl(), KEY));

            var r = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "hello");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(llm.requests()).hasSize(3);
            assertThat(r.stdout()).contains("\"status\":{\"type\":\"retry\"").contains("third time lucky");
            // issue 82: two retried requests and the answer are one step
            JsonNode result = JSON.readTree(r.stdout().strip().lines().toList().getLast());
            assertThat(result.path("steps").asInt()).as(result.toString()).isEqualTo(1);
        }
    }

    @Test
    void aProviderErrorExitsWith1AndBadConfigWith2() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            llm.enqueue(Turn.httpError(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}",
                    java.util.Map.of()));
            var lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), KEY));
            var failed = lathe.run("run", "--dir", ws.path().toString(), "hi");
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.stderr()).contains("unauthorized").doesNotContain(KEY);

            var bad = new Lathe(home, "{\"model\": \"fake/x\",\n \"provder\": {}}");
            var r = bad.run("run", "--dir", ws.path().toString(), "hi");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.stderr()).contains("LATHE_CONFIG_CONTENT:2: provder: unknown key").doesNotContain("Exception");

            var serve = bad.run("serve");
            assertThat(serve.exit()).isEqualTo(2);
            assertThat(serve.stderr()).contains("LATHE_CONFIG_CONTENT:2: provder: unknown key").doesNotContain("Exception");
            var remote = lathe.run("serve", "--host", "0.0.0.0");
            assertThat(remote.exit()).isEqualTo(2);
            assertThat(remote.stderr()).contains("--allow-remote");

            assertThat(bad.run("run").exit()).isEqualTo(2);
            assertThat(bad.run("--version").stdout()).startsWith("lathe ");
        }
    }
}
