package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's key and a token in the server's environment, printed by a command in every shape a tool can give them
 * (issue 79): as they are, streamed slowly, base64 at each alignment (standard, url-safe, wrapped), hex in both cases,
 * reversed, lower-cased, folded across lines; repeated by the model in pieces of its answer; typed into a first prompt
 * (the title) and into a command line (the audit log). Through the real server on loopback with the fake LLM: neither
 * the model's next request, nor any event the server streams, nor the stored session, title or audit log holds a key
 * or any 16 characters of it in a row in any of those shapes. A credential-named variable holding a word
 * ({@code SECRETS_SCAN_MODE=disabled}) leaves that word alone.
 */
class KeyInEveryShapeTest {
    /** Realistic shapes: an Anthropic key (the provider's) and a GitHub token (a credential variable). */
    private static final String KEY = "sk-ant-api03-Xq7vR2mPz9KfL4tWc8NbHs1YdJ6gUe0A-Tz3oQi5VnBx_lMrE7wKp2cSjFu9hGd4";
    private static final String TOKEN = "ghp_R4nd0mT0k3nV4lu3Xq7vR2mPz9KfL4tWc8";
    private static final String PRINT_EVERY_SHAPE = String.join("\n",
            "for K in $(cat keys.txt); do",
            "  printf 'plain %s\\n' \"$K\"",
            "  printf 'slow %s' \"$(printf %s \"$K\" | cut -c1-20)\"; sleep 0.6; printf '%s\\n' \"$(printf %s \"$K\" | cut -c21-)\"",
            "  printf '%s' \"$K\" | base64 -w0; echo",
            "  printf 'x%s' \"$K\" | base64 -w0; echo",
            "  printf 'xy%s' \"$K\" | base64 | tr '+/' '-_'",
            "  printf '%s' \"$K\" | od -An -tx1 | tr -d ' \\n'; echo",
            "  printf '%s' \"$K\" | od -An -tx1 | tr -d ' \\n' | tr a-f A-F; echo",
            "  printf '%s' \"$K\" | rev; echo",
            "  printf '%s' \"$K\" | tr A-Z a-z; echo",
            "  printf '%s' \"$K\" | fold -w 17; echo",
            "done",
            "echo \"scan mode: $SCAN\"");

    @TempDir Path tmp;
    LiveServer live;

    @AfterEach
    void stop() {
        if (live != null) live.close();
    }

    @Test
    void noShapeOfAKeyLeavesTheServer() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\"}", KEY, Map.of("GITHUB_TOKEN", TOKEN, "SECRETS_SCAN_MODE", "disabled"));
        Files.writeString(live.project.resolve("keys.txt"), KEY + "\n" + TOKEN + "\n");
        List<String> sse = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readEvents(sse));
        try (HttpLatheClient client = live.client()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sse.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);

            // a command prints both secrets in every shape; then the model repeats the key in pieces of its answer
            SessionId shapes = live.session(client).id();
            String script = "SCAN=disabled\n" + PRINT_EVERY_SHAPE;
            live.llm.enqueue(Turn.of(Step.toolCall("call_1", "bash", "{\"command\": " + WireJson.write(script) + "}")));
            live.llm.enqueue(Turn.of(Step.textDeltas(List.of("Your key is ", KEY.substring(0, 9), KEY.substring(9, 23), KEY.substring(23, 40),
                    KEY.substring(40), ", scan mode disabled."))).delayBetweenEvents(Duration.ofMillis(150)));
            client.prompt(shapes, PromptRequest.text("print the keys"));
            answerUntilIdle(client, shapes);
            live.llm.enqueue(Turn.of(Step.text("bye")));
            client.prompt(shapes, PromptRequest.text("thanks"));
            answerUntilIdle(client, shapes);

            // a key typed into a first prompt (the title) and a command line (the permission decision the audit log keeps)
            SessionId typed = live.session(client).id();
            live.llm.enqueue(Turn.of(Step.toolCall("call_2", "bash", "{\"command\": \"true " + KEY + "\"}")));
            live.llm.enqueue(Turn.of(Step.text("ok")));
            client.prompt(typed, PromptRequest.text("deploy with the key " + KEY + " please"));
            answerUntilIdle(client, typed);

            String toolResult = live.llm.requests().get(1).toolResult("call_1").orElseThrow();
            assertThat(toolResult).as("the command ran and printed its lines").contains("plain ***", "slow ***", "scan mode: disabled");
            System.out.println("KeyInEveryShapeTest: the model read\n" + toolResult);
            assertThat(toolResult.split("\\*\\*\\*", -1).length - 1).as("a mask for each shape of each secret").isGreaterThanOrEqualTo(2 * 10);
            assertNoShapeOf(live.llm.requests().get(1).body(), "the model's request after the command");
            assertNoShapeOf(live.llm.requests().get(2).body(), "the model's request after its answer");

            String stored = WireJson.write(client.messages(shapes));
            assertThat(stored).as("the answer is stored masked").contains("Your key is ***, scan mode disabled.");
            assertNoShapeOf(stored, "the stored session");
            String title = client.session(typed).title();
            assertThat(title).as("the title").startsWith("deploy with the key ***");
            assertNoShapeOf(title, "the title");
            assertNoShapeOf(typedByTheUser(WireJson.write(client.messages(typed))), "the stored command session");
        }
        Thread.sleep(300);
        reader.interrupt();
        String events = String.join("\n", sse);
        assertThat(sse).as("the command's live output was streamed while it ran")
                .anyMatch(line -> line.contains("\"status\":\"running\"") && line.contains("plain ***\\nslow"));
        // the command printed a key's first 20 characters, then slept: live output holds them back until decided
        assertThat(sse).as("a running command's output never shows a key's start")
                .noneMatch(line -> line.contains("\"status\":\"running\"") && typedByTheUser(line).contains(KEY.substring(0, 16)));
        assertNoShapeOf(typedByTheUser(events), "the event stream");
        assertNoShapeOf(auditLog(), "the audit log");
        assertThat(auditLog()).as("the audit log recorded the command").contains("true ***");
    }

    /**
     * {@code text} without what the user typed and what the model then wrote in a command's arguments: a prompt and a
     * call's input are shown as written (the user gave the key); everything made from them is what is checked.
     */
    private static String typedByTheUser(String text) {
        return text.replace("the key " + KEY + " please", "the key (typed) please").replace("true " + KEY, "true (typed)");
    }

    /** Waits until the session is idle, allowing each command it asks for once, as its user would. */
    private void answerUntilIdle(HttpLatheClient client, SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(client.status(id) instanceof SessionStatus.Idle)) {
            if (System.nanoTime() > deadline) throw new AssertionError("session " + id + " did not become idle");
            for (var ask : client.permissions(live.project.toString())) client.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            Thread.sleep(20);
        }
    }

    private void readEvents(List<String> into) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(live.http.url().resolve("/events")).header("Authorization", "Bearer " + live.token).build();
            http.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(into::add);
        } catch (Exception interrupted) {
            // the test is over
        }
    }

    private String auditLog() throws Exception {
        try (Stream<Path> files = Files.walk(live.paths().audit())) {
            var out = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) out.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            return out.toString();
        }
    }

    /**
     * {@code text} holds no key, nor any 16 characters of one in a row, as it is, reversed, in hex or in base64 at any
     * alignment, whatever the case and across line breaks (also JSON-escaped ones).
     */
    private static void assertNoShapeOf(String text, String where) {
        String flat = text.replace("\\n", "").replace("\\r", "").replace("\n", "").replace("\r", "").toLowerCase(Locale.ROOT);
        for (String secret : List.of(KEY, TOKEN)) {
            for (String shape : shapes(secret)) {
                for (int i = 0; i + 16 <= shape.length(); i++) {
                    String window = shape.substring(i, i + 16);
                    assertThat(flat).as("%s holds 16 characters of a key's shape: %s", where, window).doesNotContain(window);
                }
            }
        }
    }

    private static List<String> shapes(String secret) {
        List<String> out = new ArrayList<>();
        String lower = secret.toLowerCase(Locale.ROOT);
        out.add(lower);
        out.add(new StringBuilder(lower).reverse().toString());
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        out.add(HexFormat.of().formatHex(bytes));
        for (String prefix : List.of("", "x", "xy")) {
            String encoded = Base64.getEncoder().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            // the characters shared with the bytes around are left out: they may differ where the key is embedded
            String inner = encoded.substring(prefix.length() + 1, encoded.length() - 4).toLowerCase(Locale.ROOT);
            out.add(inner);
            out.add(inner.replace('+', '-').replace('/', '_'));
        }
        return out;
    }
}
