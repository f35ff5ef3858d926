package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /metrics} of a real {@code lathe serve} team node on PostgreSQL (DESIGN §34 "Operate"), read the way
 * Prometheus reads it: the answer is parsed by npm's parse-prometheus-text-format (testkit/npm). Before any turn the
 * counters are zero; after a scripted turn the turn and step histograms, the tokens the fake model reported and, after
 * a turn the model refuses, the errors have moved; the queue depth is the store's. Only an admin reads it: another
 * user's token gets 403, none 401; the prompt's text never appears in it.
 */
class MetricsIT {
    private static final String SECRET_PROMPT = "the-prompt-text-must-not-leak";

    @TempDir Path tmp;

    private static Turn respond(RecordedRequest r) {
        if (r.lastUserText().contains("fail please")) return Turn.httpError(400, "{\"error\":{\"message\":\"refused\"}}", Map.of());
        return Turn.of(Step.text("METRICS-DONE")).usage(123, 45, 0, 0);
    }

    @Test
    void anAdminScrapesTheNodesTurnsTokensErrorsAndQueueWithARealPrometheusParser() throws Exception {
        var db = PostgresCluster.shared().newDatabase("metrics_node");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "x\n").initGitRepo();
            llm.respondWith(MetricsIT::respond);
            try (var node = TeamNode.start(tmp.resolve("node"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-x"), db.url());
                    var client = node.client(ws.path())) {
                String admin = node.endpoint().token();
                var before = parse(scrape(node, Optional.of(admin)).body());
                assertThat(value(before, "lathe_input_tokens_total")).isZero();
                assertThat(histogramCount(before, "lathe_turn_duration_seconds")).isZero();
                assertThat(value(before, "lathe_queue_depth")).isZero();
                assertThat(value(before, "lathe_turns_running")).isZero();

                SessionId id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                client.prompt(id, PromptRequest.text(SECRET_PROMPT));
                TeamServerAsksIT.await(() -> client.statuses("").isEmpty() && client.messages(id).toString().contains("METRICS-DONE"));
                client.prompt(id, PromptRequest.text("fail please"));
                TeamServerAsksIT.await(() -> {
                    var m = unchecked(() -> parse(scrape(node, Optional.of(admin)).body()));
                    return histogramCount(m, "lathe_turn_duration_seconds") >= 2 && !family(m, "lathe_errors_total").path("metrics").isEmpty();
                });

                var response = scrape(node, Optional.of(admin));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(response.body()).doesNotContain(SECRET_PROMPT).doesNotContain(admin).doesNotContain("sk-x");
                var after = parse(response.body());
                assertThat(value(after, "lathe_input_tokens_total")).isEqualTo(123);
                assertThat(value(after, "lathe_output_tokens_total")).isEqualTo(45);
                assertThat(histogramCount(after, "lathe_step_duration_seconds")).isGreaterThanOrEqualTo(1);
                assertThat(histogramCount(after, "lathe_turn_duration_seconds")).isEqualTo(2);
                assertThat(family(after, "lathe_turn_duration_seconds").path("type").asString()).isEqualTo("HISTOGRAM");
                assertThat(family(after, "lathe_errors_total").path("metrics").get(0).path("value").asString()).isEqualTo("1");
                assertThat(value(after, "lathe_turns_running")).isZero();
                assertThat(value(after, "lathe_queue_depth")).isZero();
                assertThat(after.toString()).contains("lathe_leases_held");

                // who may read it: an admin; another user is refused, and so is no token
                String bob = node.addUser("bob");
                assertThat(scrape(node, Optional.of(bob)).statusCode()).isEqualTo(403);
                assertThat(scrape(node, Optional.empty()).statusCode()).isEqualTo(401);
                assertThat(scrape(node, Optional.of("lathe_not_a_token")).statusCode()).isEqualTo(401);
                // bad input is a 4xx, never a 500: an unknown query, another method
                assertThat(send(node, HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/metrics?format=%00%2F..%2F&format=json"))
                        .header("Authorization", "Bearer " + admin).GET()).statusCode()).isBetween(200, 499);
                assertThat(send(node, HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/metrics"))
                        .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
                // /health says the node is not draining (nobody asked it to: DrainIT drains one)
                assertThat(send(node, HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/health")).GET()).body()).contains("\"draining\":false");
            }
        }
    }

    private interface Scrape {
        JsonNode get() throws Exception;
    }

    private static JsonNode unchecked(Scrape scrape) {
        try {
            return scrape.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> scrape(TeamNode node, Optional<String> token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/metrics")).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return send(node, request);
    }

    private static HttpResponse<String> send(TeamNode node, HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Prometheus's text format parsed by parse-prometheus-text-format under node: its families as JSON. */
    static JsonNode parse(String text) throws Exception {
        Path module = NpmServers.module("parse-prometheus-text-format");
        var process = new ProcessBuilder("node", "-e", "const p=require(process.argv[1]);let s='';process.stdin.setEncoding('utf8')"
                + ".on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.stringify(p(s))))", module.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the parser read the answer: " + text).isZero();
        return JsonMapper.builder().build().readTree(out);
    }

    private static JsonNode family(JsonNode families, String name) {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode f : families) byName.put(f.path("name").asString(), f);
        assertThat(byName).as("the families scraped").containsKey(name);
        return byName.get(name);
    }

    private static double value(JsonNode families, String name) {
        List<JsonNode> samples = new java.util.ArrayList<>();
        for (JsonNode sample : family(families, name).path("metrics")) samples.add(sample);
        assertThat(samples).as(name).hasSize(1);
        return Double.parseDouble(samples.getFirst().path("value").asString());
    }

    private static long histogramCount(JsonNode families, String name) {
        return Long.parseLong(family(families, name).path("metrics").get(0).path("count").asString());
    }
}
