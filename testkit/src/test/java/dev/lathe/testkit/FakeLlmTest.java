package dev.lathe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FakeLlmTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(FakeLlm llm, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(llm.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> dataLines(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(JSON.readTree(line.substring(6)));
        }
        return out;
    }

    @Test
    void anthropicStreamCarriesTextAndParallelToolCallsInTheRealFraming() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("Reading both files now."), Step.toolCall("t1", "read", "{\"path\":\"a.txt\"}"),
                    Step.toolCall("t2", "read", "{\"path\":\"b.txt\"}")).usage(10, 5, 3, 2));
            var r = post(llm, "/messages", "{\"model\":\"claude\",\"stream\":true,\"messages\":[]}");

            assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
            String body = r.body();
            assertThat(body).startsWith("event: message_start\ndata: ");
            List<String> events = body.lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
            assertThat(events.getFirst()).isEqualTo("message_start");
            assertThat(events.subList(events.size() - 2, events.size())).containsExactly("message_delta", "message_stop");
            var data = dataLines(body);
            var text = new StringBuilder();
            var args = new StringBuilder[] {new StringBuilder(), new StringBuilder(), new StringBuilder()};
            for (JsonNode d : data) {
                if (d.path("delta").path("type").asString().equals("text_delta")) text.append(d.path("delta").path("text").asString());
                if (d.path("delta").path("type").asString().equals("input_json_delta")) args[d.path("index").asInt()].append(d.path("delta").path("partial_json").asString());
            }
            assertThat(text.toString()).isEqualTo("Reading both files now.");
            assertThat(args[1].toString()).isEqualTo("{\"path\":\"a.txt\"}");
            assertThat(args[2].toString()).isEqualTo("{\"path\":\"b.txt\"}");
            JsonNode last = data.get(data.size() - 2);
            assertThat(last.path("delta").path("stop_reason").asString()).isEqualTo("tool_use");
            assertThat(data.getFirst().path("message").path("usage").path("cache_read_input_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void openAiStreamHasIndexedToolCallsUsageChunkAndDone() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"ls -la\"}"), Step.toolCall("c2", "read", "{\"path\":\"x\"}")));
            var r = post(llm, "/chat/completions", "{\"model\":\"gpt\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");

            assertThat(r.body().strip()).endsWith("data: [DONE]");
            var data = dataLines(r.body());
            var args = new StringBuilder[] {new StringBuilder(), new StringBuilder()};
            List<String> ids = new ArrayList<>();
            for (JsonNode d : data) {
                for (JsonNode call : d.path("choices").path(0).path("delta").path("tool_calls")) {
                    if (call.has("id")) ids.add(call.path("id").asString());
                    args[call.path("index").asInt()].append(call.path("function").path("arguments").asString());
                }
            }
            assertThat(ids).containsExactly("c1", "c2");
            assertThat(args[0].toString()).isEqualTo("{\"command\":\"ls -la\"}");
            assertThat(args[1].toString()).isEqualTo("{\"path\":\"x\"}");
            assertThat(data.get(data.size() - 2).path("choices").path(0).path("finish_reason").asString()).isEqualTo("tool_calls");
            assertThat(data.getLast().path("choices")).isEmpty();
            assertThat(data.getLast().path("usage").path("prompt_tokens").asInt()).isEqualTo(100);
        }
    }

    @Test
    void textDeltasAreStreamedAsGivenPacedAndStampedWithTheirSendTime() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.textDeltas(List.of("a", "t" + FakeLlm.SEND_TIME + " ", "b"))).delayBetweenEvents(Duration.ofMillis(30)));
            long before = System.nanoTime();
            var r = post(llm, "/chat/completions", "{\"model\":\"gpt\",\"stream\":true,\"messages\":[]}");
            long after = System.nanoTime();

            List<String> deltas = dataLines(r.body()).stream().map(d -> d.path("choices").path(0).path("delta"))
                    .filter(d -> d.has("content") && !d.path("content").asString().isEmpty()).map(d -> d.path("content").asString()).toList();
            assertThat(deltas).hasSize(3);
            assertThat(deltas.get(0)).isEqualTo("a");
            assertThat(deltas.get(2)).isEqualTo("b");
            long sent = Long.parseLong(deltas.get(1).substring(1, deltas.get(1).length() - 1));
            // the role chunk and the first delta go before the stamped one, each after a pause
            assertThat(sent).isBetween(before + Duration.ofMillis(60).toNanos(), after);
        }
    }

    @Test
    void recordsRequestsAndReadsToolResultsOfBothProtocols() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("a"))).enqueue(Turn.of(Step.text("b")));
            post(llm, "/messages", """
                    {"model":"m","stream":true,"system":[{"type":"text","text":"sys A"}],"tools":[{"name":"read"}],
                     "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"file body"}],"is_error":true}]}]}""");
            post(llm, "/chat/completions", """
                    {"model":"m","stream":true,"tools":[{"type":"function","function":{"name":"bash"}}],
                     "messages":[{"role":"system","content":"sys B"},{"role":"tool","tool_call_id":"c9","content":"exit 0"}]}""");

            assertThat(llm.awaitRequests(2, Duration.ofSeconds(1))).isTrue();
            var a = llm.requests().get(0);
            assertThat(a.system()).isEqualTo("sys A");
            assertThat(a.toolNames()).containsExactly("read");
            assertThat(a.toolResult("t1")).contains("file body");
            assertThat(a.toolResultIsError("t1")).isTrue();
            var o = llm.requests().get(1);
            assertThat(o.system()).isEqualTo("sys B");
            assertThat(o.toolNames()).containsExactly("bash");
            assertThat(o.toolResult("c9")).contains("exit 0");
            assertThat(o.toolResult("nope")).isEmpty();
        }
    }

    @Test
    void faultsAndAnEmptyScriptAreVisible() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.httpError(429, "{\"type\":\"error\"}", Map.of("retry-after", "2")));
            llm.enqueue(Turn.of(Step.text("a long answer that will be cut")).truncateAfter(3));
            var limited = post(llm, "/messages", "{\"stream\":true}");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).contains("2");
            var cut = post(llm, "/messages", "{\"stream\":true}");
            assertThat(cut.body()).doesNotContain("message_stop");
            var empty = post(llm, "/chat/completions", "{\"stream\":true}");
            assertThat(empty.statusCode()).isEqualTo(500);
            assertThat(empty.body()).contains("no scripted turn left");
        }
    }

    @Test
    void aStalledRequestCountsAsOpenUntilItsClientClosesTheConnection() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("words, then silence")).stallAfter(2));
            var request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                    .header("Content-Type", "application/json").build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                assertThat(body.read()).isNotNegative();
                assertThat(llm.openConnections()).isEqualTo(1);
                assertThat(llm.awaitNoOpenConnections(Duration.ofMillis(300))).as("silent, and still open").isFalse();
            }
            // the client closed its end: the fake notices without sending a byte
            assertThat(llm.awaitNoOpenConnections(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aPausedResponseSendsItsFirstEventsThenTheRestOnceReleased() throws Exception {
        try (var llm = FakeLlm.start()) {
            var resume = new java.util.concurrent.CountDownLatch(1);
            llm.enqueue(Turn.of(Step.textDeltas(List.of("first ", "second"))).pauseAfter(2, resume));
            var request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                    .header("Content-Type", "application/json").build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            var lines = response.body().iterator();
            var seen = new StringBuilder();
            while (!seen.toString().contains("first ")) seen.append(lines.next()).append('\n');
            assertThat(seen.toString()).doesNotContain("second");
            // held: the response stays open, its rest unsent, until released
            assertThat(llm.awaitNoOpenConnections(Duration.ofMillis(300))).isFalse();
            resume.countDown();
            while (lines.hasNext()) seen.append(lines.next()).append('\n');
            assertThat(seen.toString()).contains("second").contains("data: [DONE]");
        }
    }
}
