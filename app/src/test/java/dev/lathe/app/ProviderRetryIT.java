package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.SelfSignedHttps;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Provider retries and errors that explain (issue 25), through the real {@code lathe run} against a fake provider, a
 * closed port, a name made unresolvable by a local hosts file ({@code -Djdk.net.hosts.file}: nothing asks real DNS)
 * and an HTTPS server with a certificate nobody trusts. Each case checks the exit code, the wording on stderr, the
 * error stored on the message, how many attempts were made, how long it took, and that the turn ended cleanly: one
 * assistant message, completed, with the error, and nothing still running.
 */
class ProviderRetryIT {
    private static final String KEY = "sk-retry-it-7f3a9c";

    @TempDir Path home;

    /** A provider at {@code baseUrl} with the given retry limits. */
    private static String config(String baseUrl, int maxAttempts, int maxTotalWaitSeconds) {
        return "{\"model\": \"fake/fake-model\", \"retry\": {\"maxAttempts\": " + maxAttempts + ", \"maxTotalWaitSeconds\": " + maxTotalWaitSeconds
                + "}, \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + baseUrl + "\", \"apiKey\": \"" + KEY
                + "\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096}}}}}";
    }

    /** A hosts file that knows {@code localhost} and {@code names} (all 127.0.0.1), and nothing else. */
    private Path hosts(String... names) throws Exception {
        var lines = new ArrayList<>(List.of("127.0.0.1 localhost"));
        for (String n : names) lines.add("127.0.0.1 " + n);
        return Files.write(home.resolve("hosts"), lines);
    }

    private static int closedPort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Ran(Lathe.Result result, Duration took) {}

    private static Ran run(Lathe lathe, TempWorkspace ws) throws Exception {
        long start = System.nanoTime();
        var result = lathe.run("run", "--dir", ws.path().toString(), "hello");
        return new Ran(result, Duration.ofNanos(System.nanoTime() - start));
    }

    /** What the database holds of the turn: its one assistant message (checked to be the only one, and complete). */
    private record Stored(JsonNode message, int retryParts) {
        String errorKind() { return message.path("error").path("kind").asString(); }

        String errorMessage() { return message.path("error").path("message").asString(); }
    }

    /** The turn's invariants, read from the database: one session, one final assistant message, nothing left open. */
    private static Stored stored(Lathe lathe) throws Exception {
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + lathe.database()); var s = db.createStatement()) {
            try (var rs = s.executeQuery("SELECT count(*) FROM session")) {
                assertThat(rs.getInt(1)).as("one session").isEqualTo(1);
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM message WHERE completed = 0")) {
                assertThat(rs.getInt(1)).as("no message left running").isZero();
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM part WHERE status IN ('pending', 'running')")) {
                assertThat(rs.getInt(1)).as("no part left running").isZero();
            }
            List<String> answers = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT data FROM message WHERE role = 'assistant' ORDER BY id")) {
                while (rs.next()) answers.add(rs.getString(1));
            }
            assertThat(answers).as("exactly one final assistant message").hasSize(1);
            int retries;
            try (var rs = s.executeQuery("SELECT count(*) FROM part WHERE type = 'retry'")) {
                retries = rs.getInt(1);
            }
            return new Stored(RunIT.JSON.readTree(answers.getFirst()), retries);
        }
    }

    private static long retryLines(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("lathe: retrying in ")).count();
    }

    @Test
    void anUnresolvableHostIsTriedThreeTimesQuicklyThenNamedWithWhatHappened() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            String url = "http://api.unresolvable.test:" + closedPort() + "/v1";
            var lathe = new Lathe(home, config(url, 6, 120)).withJvmFlags(List.of("-Djdk.net.hosts.file=" + hosts()));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).as(ran.result().stderr()).isEqualTo(1);
            assertThat(ran.took()).as("a few quick attempts, not half a minute of backoff").isLessThan(Duration.ofSeconds(25));
            assertThat(retryLines(ran.result().stderr())).as("each retry shown: " + ran.result().stderr()).isEqualTo(2);
            assertThat(ran.result().stderr()).containsPattern("lathe: retrying in 0\\.\\d s \\(attempt 2/6\\): unreachable: cannot reach fake at "
                    + "api.unresolvable.test:\\d+: host not found: api.unresolvable.test")
                    .contains("lathe: unreachable: cannot reach fake at " + URI.create(url).getHost() + ":" + URI.create(url).getPort()
                            + ": host not found: api.unresolvable.test (" + url + "/chat/completions) (after 3 attempts)")
                    .doesNotContain(KEY);
            Stored turn = stored(lathe);
            assertThat(turn.errorKind()).isEqualTo("unreachable");
            assertThat(turn.errorMessage()).contains("host not found: api.unresolvable.test", "(after 3 attempts)");
            assertThat(turn.retryParts()).as("attempts 2 and 3").isEqualTo(2);
        }
    }

    @Test
    void aRefusedConnectionToARemoteNameIsTriedThreeTimesQuicklyThenNamed() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            int port = closedPort();
            String url = "http://api.refused.test:" + port + "/v1";
            var lathe = new Lathe(home, config(url, 6, 120)).withJvmFlags(List.of("-Djdk.net.hosts.file=" + hosts("api.refused.test")));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).as(ran.result().stderr()).isEqualTo(1);
            assertThat(ran.took()).isLessThan(Duration.ofSeconds(25));
            assertThat(retryLines(ran.result().stderr())).as(ran.result().stderr()).isEqualTo(2);
            assertThat(ran.result().stderr()).contains("lathe: unreachable: cannot reach fake at api.refused.test:" + port + ": connection refused ("
                    + url + "/chat/completions) (after 3 attempts)");
            Stored turn = stored(lathe);
            assertThat(turn.errorKind()).isEqualTo("unreachable");
            assertThat(turn.retryParts()).isEqualTo(2);
        }
    }

    @Test
    void anUntrustedCertificateIsNeverRetriedAndSaysSo() throws Exception {
        try (var ws = TempWorkspace.create(); var https = SelfSignedHttps.start(SelfSignedHttps.Flaw.SELF_SIGNED, home)) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(https.baseUrl(), 6, 120));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).as(ran.result().stderr()).isEqualTo(1);
            assertThat(https.connections()).as("one attempt").isEqualTo(1);
            assertThat(ran.result().stderr()).doesNotContain("retrying", KEY)
                    .contains("lathe: untrusted_certificate: the TLS certificate of 127.0.0.1:" + https.port() + " (provider fake) is not trusted: ")
                    .contains("javax.net.ssl.trustStore");
            Stored turn = stored(lathe);
            assertThat(turn.errorKind()).isEqualTo("untrusted_certificate");
            assertThat(turn.retryParts()).isZero();
        }
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsWaitedFor() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(llm.baseUrl(), 6, 120));
            // our own backoff would wait ~1 s; the date, made when the request arrives, asks for 3 s (2 to 3 once cut to whole seconds)
            var answered = new java.util.concurrent.atomic.AtomicInteger();
            llm.respondWith(request -> answered.getAndIncrement() == 0
                    ? Turn.httpError(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}",
                            Map.of("retry-after", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3))))
                    : Turn.of(Step.text("after the wait")));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).as(ran.result().stderr()).isZero();
            assertThat(ran.result().stdout().strip()).isEqualTo("after the wait");
            var requests = llm.requests();
            assertThat(requests).hasSize(2);
            Duration gap = Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos());
            assertThat(gap).as("the date was honoured").isGreaterThanOrEqualTo(Duration.ofMillis(1700));
            assertThat(ran.result().stderr()).containsPattern("lathe: retrying in [23] s \\(attempt 2/6\\): rate_limited: fake at 127.0.0.1:\\d+: HTTP 429: slow down");
            Stored turn = stored(lathe);
            assertThat(turn.message().path("error").isObject()).as("the retry succeeded").isFalse();
            assertThat(turn.retryParts()).isEqualTo(1);
        }
    }

    @Test
    void aWaitHintBeyondTheBudgetStopsTheTurnSayingWhenToRetry() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(llm.baseUrl(), 6, 120));
            llm.enqueue(Turn.httpError(429, "{\"error\":{\"message\":\"quota window\",\"type\":\"rate_limit_error\"}}",
                    Map.of("retry-after", "3600", "x-request-id", "req_it_hour")));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).as(ran.result().stderr()).isEqualTo(1);
            assertThat(ran.took()).as("not waited on").isLessThan(Duration.ofSeconds(25));
            assertThat(llm.requests()).as("not retried early either").hasSize(1);
            int port = URI.create(llm.baseUrl()).getPort();
            assertThat(ran.result().stderr()).doesNotContain("retrying")
                    .containsPattern("lathe: rate_limited: rate limited by fake, retry after 60 min \\(at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\): "
                            + "longer than the 120 s retry.maxTotalWaitSeconds allows; fake at 127.0.0.1:" + port
                            + ": HTTP 429 \\(request id req_it_hour\\): quota window");
            Stored turn = stored(lathe);
            assertThat(turn.errorKind()).isEqualTo("rate_limited");
            assertThat(turn.errorMessage()).startsWith("rate limited by fake, retry after 60 min");
        }
    }

    @Test
    void theSameThroughTheDaemonWithAnHttpDateTomorrow() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(llm.baseUrl(), 6, 120)).daemonFirst();
            try {
                String tomorrow = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusDays(1));
                llm.enqueue(Turn.httpError(429, "{\"error\":{\"message\":\"daily limit\",\"type\":\"rate_limit_error\"}}", Map.of("retry-after", tomorrow)));
                Ran ran = run(lathe, ws);

                assertThat(ran.result().exit()).as(ran.result().stderr()).isEqualTo(1);
                assertThat(ran.took()).isLessThan(Duration.ofSeconds(30));
                assertThat(llm.requests()).hasSize(1);
                assertThat(ran.result().stderr()).containsPattern("lathe: rate_limited: rate limited by fake, retry after 2[34] h( \\d+ min)? \\(at ");
                var endpoint = lathe.server().orElseThrow(() -> new AssertionError("no daemon"));
                try (var client = dev.lathe.client.HttpLatheClient.connect(endpoint, java.util.Optional.of(ws.path().toString()))) {
                    var session = client.sessions(ws.path().toString()).getFirst();
                    assertThat(client.status(session.id())).as("the daemon's session is idle again").isEqualTo(dev.lathe.protocol.session.SessionStatus.IDLE);
                }
                Stored turn = stored(lathe);
                assertThat(turn.errorMessage()).contains("daily limit");
                AlwaysOnChecks.after("a retry-after of a day, through the daemon", endpoint, lathe.database()).assertClean();
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void anHttpErrorNamesTheProviderTheHostTheStatusAndTheRequestId() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(llm.baseUrl(), 6, 120));
            llm.enqueue(Turn.httpError(400, "{\"error\":{\"message\":\"unknown parameter: foo (key " + KEY + ")\",\"type\":\"invalid_request_error\"}}",
                    Map.of("x-request-id", "req_it_400")));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).isEqualTo(1);
            assertThat(llm.requests()).as("a bad request is not retried").hasSize(1);
            int port = URI.create(llm.baseUrl()).getPort();
            assertThat(ran.result().stderr()).contains("lathe: invalid_request: fake at 127.0.0.1:" + port + ": HTTP 400 (request id req_it_400): "
                    + "unknown parameter: foo (key [redacted])").doesNotContain(KEY);
            Stored turn = stored(lathe);
            assertThat(turn.errorMessage()).contains("HTTP 400 (request id req_it_400)").doesNotContain(KEY);
        }
    }

    @Test
    void anHtmlPageInsteadOfAStreamIsAnUnexpectedResponseQuotedShortly() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, config(llm.baseUrl(), 2, 10));
            String page = "<html><head><title>Proxy login</title></head><body>" + "lorem ipsum ".repeat(2000) + "</body></html>";
            for (int i = 0; i < 2; i++) llm.enqueue(Turn.httpError(200, page, Map.of("Content-Type", "text/html")));
            Ran ran = run(lathe, ws);

            assertThat(ran.result().exit()).isEqualTo(1);
            assertThat(llm.requests()).as("retried within retry.maxAttempts").hasSize(2);
            assertThat(retryLines(ran.result().stderr())).isEqualTo(1);
            String last = ran.result().stderr().lines().filter(l -> l.startsWith("lathe: transport: ")).findFirst().orElseThrow(
                    () -> new AssertionError(ran.result().stderr()));
            assertThat(last).contains("fake at 127.0.0.1:", ": HTTP 200: unexpected response from the provider: text/html instead of "
                    + "text/event-stream: <html><head><title>Proxy login</title>", "(after 2 attempts)");
            assertThat(last.length()).as("an excerpt, not the page").isLessThan(600);
            assertThat(stored(lathe).errorMessage()).contains("unexpected response from the provider");
        }
    }
}
