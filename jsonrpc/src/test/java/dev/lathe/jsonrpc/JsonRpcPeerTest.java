package dev.lathe.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonRpcPeerTest {
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    /** One OS pipe (java.io's piped streams fail once the thread that wrote last has ended: ours are virtual and short-lived). */
    private record Pipe(InputStream in, OutputStream out) {
        static Pipe open() throws IOException {
            var pipe = java.nio.channels.Pipe.open();
            return new Pipe(Channels.newInputStream(pipe.source()), Channels.newOutputStream(pipe.sink()));
        }
    }

    /** Two peers wired to each other through pipes. */
    private JsonRpcPeer[] pair(JsonRpcPeer.Handler left, JsonRpcPeer.Handler right) throws IOException {
        var toLeft = Pipe.open();
        var toRight = Pipe.open();
        var a = new JsonRpcPeer("right", toLeft.in(), toRight.out(), left);
        var b = new JsonRpcPeer("left", toRight.in(), toLeft.out(), right);
        open.add(a);
        open.add(b);
        a.start();
        b.start();
        return new JsonRpcPeer[] {a, b};
    }

    private static JsonRpcPeer.Handler echo(List<String> notes) {
        return new JsonRpcPeer.Handler() {
            @Override
            public JsonNode request(String method, JsonNode params) throws JsonRpcError {
                return switch (method) {
                    case "echo" -> params;
                    case "fail" -> throw JsonRpcError.invalidParams("no good: " + params.path("why").asString());
                    case "crash" -> throw new IllegalStateException("boom");
                    default -> throw JsonRpcError.methodNotFound(method);
                };
            }

            @Override
            public void notification(String method, JsonNode params) {
                notes.add(method + ":" + params.path("n").asInt());
            }
        };
    }

    @Test
    void requestsAndNotificationsGoBothWaysAndKeepTheirOrder() throws Exception {
        var leftNotes = new CopyOnWriteArrayList<String>();
        var rightNotes = new CopyOnWriteArrayList<String>();
        JsonRpcPeer[] peers = pair(echo(leftNotes), echo(rightNotes));
        JsonNode answer = peers[0].request("echo", Json.object().put("x", "héllo")).get(5, TimeUnit.SECONDS);
        assertThat(answer.path("x").asString()).isEqualTo("héllo");
        assertThat(peers[1].request("echo", Json.object().put("y", 2)).get(5, TimeUnit.SECONDS).path("y").asInt()).isEqualTo(2);
        for (int i = 0; i < 200; i++) peers[0].notify("update", Json.object().put("n", i));
        // a request after the notifications is answered after they were all handled (one reader, in order)
        peers[0].request("echo", Json.object()).get(5, TimeUnit.SECONDS);
        assertThat(rightNotes).hasSize(200);
        for (int i = 0; i < 200; i++) assertThat(rightNotes.get(i)).isEqualTo("update:" + i);
        assertThat(leftNotes).isEmpty();
    }

    @Test
    void errorsComeBackAsJsonRpcErrorsWithTheirCodes() throws Exception {
        JsonRpcPeer[] peers = pair(echo(new CopyOnWriteArrayList<>()), echo(new CopyOnWriteArrayList<>()));
        assertThatThrownBy(() -> peers[0].request("fail", Json.object().put("why", "bad path")).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(JsonRpcError.class)
                .hasMessage("no good: bad path")
                .satisfies(e -> assertThat(((JsonRpcError) e).code()).isEqualTo(JsonRpcError.INVALID_PARAMS));
        assertThatThrownBy(() -> peers[0].request("nope", Json.object()).get(5, TimeUnit.SECONDS))
                .cause().satisfies(e -> assertThat(((JsonRpcError) e).code()).isEqualTo(JsonRpcError.METHOD_NOT_FOUND));
        // a handler that throws anything else answers an internal error, and the connection goes on
        assertThatThrownBy(() -> peers[0].request("crash", Json.object()).get(5, TimeUnit.SECONDS))
                .cause().hasMessage("boom").satisfies(e -> assertThat(((JsonRpcError) e).code()).isEqualTo(JsonRpcError.INTERNAL_ERROR));
        assertThat(peers[0].request("echo", Json.object().put("still", true)).get(5, TimeUnit.SECONDS).path("still").asBoolean()).isTrue();
    }

    @Test
    void aBlockingRequestDoesNotHoldUpNotificationsOrOtherRequests() throws Exception {
        var release = new CountDownLatch(1);
        var notes = new CopyOnWriteArrayList<String>();
        JsonRpcPeer.Handler slow = new JsonRpcPeer.Handler() {
            @Override
            public JsonNode request(String method, JsonNode params) {
                if (method.equals("wait")) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Json.object().put("method", method);
            }

            @Override
            public void notification(String method, JsonNode params) {
                notes.add(method);
                if (method.equals("cancel")) release.countDown();
            }
        };
        JsonRpcPeer[] peers = pair(echo(new CopyOnWriteArrayList<>()), slow);
        var waiting = peers[0].request("wait", Json.object());
        assertThat(peers[0].request("quick", Json.object()).get(5, TimeUnit.SECONDS).path("method").asString()).isEqualTo("quick");
        assertThat(waiting).isNotDone();
        peers[0].notify("cancel", Json.object());
        assertThat(waiting.get(5, TimeUnit.SECONDS).path("method").asString()).isEqualTo("wait");
    }

    @Test
    void whenTheOtherEndGoesAwayWaitingRequestsFailAndClosedCompletes() throws Exception {
        var never = new CountDownLatch(1);
        JsonRpcPeer.Handler stuck = new JsonRpcPeer.Handler() {
            @Override
            public JsonNode request(String method, JsonNode params) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }

            @Override
            public void notification(String method, JsonNode params) {}
        };
        JsonRpcPeer[] peers = pair(echo(new CopyOnWriteArrayList<>()), stuck);
        var waiting = peers[0].request("forever", Json.object());
        peers[1].close();
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).cause()
                .satisfies(e -> assertThat(((JsonRpcError) e).code()).isEqualTo(JsonRpcError.CONNECTION_CLOSED))
                .hasMessageContaining("the connection to right ended");
        peers[0].closed().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> peers[0].request("after", Json.object()).get(5, TimeUnit.SECONDS)).cause().isInstanceOf(JsonRpcError.class);
        never.countDown();
    }

    @Test
    void aLineThatIsNotJsonIsAnsweredWithAParseErrorAndReadingGoesOn() throws Exception {
        var toPeer = Pipe.open();
        OutputStream raw = toPeer.out();
        var fromPeer = Pipe.open();
        var peer = new JsonRpcPeer("raw", toPeer.in(), fromPeer.out(), echo(new CopyOnWriteArrayList<>()));
        open.add(peer);
        peer.start();
        var replies = new BufferedReader(new InputStreamReader(fromPeer.in(), StandardCharsets.UTF_8));
        raw.write("this is not json\n".getBytes(StandardCharsets.UTF_8));
        raw.flush();
        JsonNode parseError = Json.mapper().readTree(replies.readLine());
        assertThat(parseError.path("error").path("code").asInt()).isEqualTo(JsonRpcError.PARSE_ERROR);
        assertThat(parseError.get("id").isNull()).isTrue();
        // string ids come back as they were sent
        raw.write("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"echo\",\"params\":{\"k\":1}}\n".getBytes(StandardCharsets.UTF_8));
        raw.flush();
        JsonNode answer = Json.mapper().readTree(replies.readLine());
        assertThat(answer.path("id").asString()).isEqualTo("abc");
        assertThat(answer.path("result").path("k").asInt()).isEqualTo(1);
        assertThat(answer.path("jsonrpc").asString()).isEqualTo("2.0");
        raw.close();
    }

    @Test
    void aRequestGivenUpFailsHereAndTheOtherEndIsToldWhichOne() throws Exception {
        var notes = new CopyOnWriteArrayList<String>();
        var received = new CopyOnWriteArrayList<String>();
        var never = new CountDownLatch(1);
        JsonRpcPeer.Handler slow = new JsonRpcPeer.Handler() {
            @Override
            public JsonNode request(String method, JsonNode params) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Json.object();
            }

            @Override
            public void notification(String method, JsonNode params) {
                // the request it names was noted before this notification, on the same thread
                notes.add(method + ":" + params.path("requestId").asLong() + ":" + received);
            }

            @Override
            public void received(String method, JsonNode params) {
                received.add(method);
            }
        };
        JsonRpcPeer[] peers = pair(echo(new CopyOnWriteArrayList<>()), slow);
        var asked = peers[0].request("ask", Json.object());
        peers[0].cancel(asked, "$/cancel_request");
        assertThatThrownBy(() -> asked.get(5, TimeUnit.SECONDS)).cause()
                .satisfies(e -> assertThat(((JsonRpcError) e).code()).isEqualTo(JsonRpcError.REQUEST_CANCELLED));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (notes.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(notes).containsExactly("$/cancel_request:1:[ask]");
        // a request answered already is not cancelled again
        var done = peers[1].request("echo", Json.object());
        done.get(5, TimeUnit.SECONDS);
        peers[1].cancel(done, "$/cancel_request");
        assertThat(done).isCompleted();
        never.countDown();
    }

    @Test
    void aLineLongerThanTheCapIsAnsweredWithAnErrorAndEndsTheConnection() throws Exception {
        var toPeer = Pipe.open();
        OutputStream raw = toPeer.out();
        var fromPeer = Pipe.open();
        var peer = new JsonRpcPeer("raw", toPeer.in(), fromPeer.out(), echo(new CopyOnWriteArrayList<>()), 100);
        open.add(peer);
        peer.start();
        var replies = new BufferedReader(new InputStreamReader(fromPeer.in(), StandardCharsets.UTF_8));
        // at the cap (with \r\n): read as usual
        String params = "{\"k\":\"" + "x".repeat(100 - 58) + "\"}";
        String fits = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":" + params + "}";
        assertThat(fits).hasSize(100);
        raw.write((fits + "\r\n").getBytes(StandardCharsets.UTF_8));
        raw.flush();
        assertThat(Json.mapper().readTree(replies.readLine()).path("result").path("k").asString()).hasSize(100 - 58);
        // one character over, never ended: an error, then the connection closes without waiting for a \n
        var pending = peer.request("echo", Json.object());
        raw.write(("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":" + "x".repeat(60)).getBytes(StandardCharsets.UTF_8));
        raw.flush();
        replies.readLine();  // the request above
        JsonNode error = Json.mapper().readTree(replies.readLine());
        assertThat(error.path("error").path("code").asInt()).isEqualTo(JsonRpcError.INVALID_REQUEST);
        assertThat(error.path("error").path("message").asString()).contains("longer than 100");
        peer.closed().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JsonRpcError.class);
        assertThat(replies.readLine()).isNull();
    }

    @Test
    void aMessageOfSeveralMegabytesIsReadWhole() throws Exception {
        var leftNotes = new CopyOnWriteArrayList<String>();
        JsonRpcPeer[] peers = pair(echo(leftNotes), echo(new CopyOnWriteArrayList<>()));
        String big = "é".repeat(5_000_000);
        assertThat(peers[0].request("echo", Json.object().put("big", big)).get(30, TimeUnit.SECONDS).path("big").asString()).isEqualTo(big);
    }
}
