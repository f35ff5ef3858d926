package dev.lathe.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake LLM on 127.0.0.1 (any free port) speaking OpenAI Chat Completions ({@code POST /v1/chat/completions}), the
 * OpenAI Responses API ({@code POST /v1/responses}) and Anthropic Messages ({@code POST /v1/messages}) with the real
 * streaming framing. Each request takes the next
 * scripted {@link Turn}; with none left it answers 500 with an error naming the problem. Every request is recorded.
 *
 * {@snippet :
 * try (var llm = FakeLlm.start()) {
 *     llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")));
 *     llm.enqueue(Turn.of(Step.text("done")));
 *     // point a provider at llm.baseUrl() ...
 * }
 * }
 */
public final class FakeLlm implements AutoCloseable {
    /**
     * A placeholder replaced, in each streamed event, by {@link System#nanoTime()} read just before the event is
     * written: a client in the same JVM measures delivery latency from it (e.g. in {@link Step#textDeltas} deltas).
     */
    public static final String SEND_TIME = "{{sendNanoTime}}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Deque<Turn> script = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Optional<Responder> responder = Optional.empty();
    private volatile Map<String, String> extraHeaders = Map.of();
    /** Requests being answered now: a client that went away is noticed (and its request ends) even during a stall. */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    private FakeLlm(HttpServer server) {
        this.server = server;
    }

    public static FakeLlm start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var fake = new FakeLlm(server);
            server.createContext("/", fake::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake LLM", e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL a provider config takes. */
    public String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

    public synchronized FakeLlm enqueue(Turn turn) {
        script.add(turn);
        return this;
    }

    public synchronized int pending() { return script.size(); }

    /**
     * Computes each request's turn from the request itself instead of taking the next scripted one, for tests where
     * several sessions talk to one fake in an order nobody controls. Called on the request's own thread.
     */
    @FunctionalInterface
    public interface Responder {
        Turn turnFor(RecordedRequest request);
    }

    /** From now on every request is answered by {@code responder}; the script queue is no longer consulted. */
    public FakeLlm respondWith(Responder responder) {
        this.responder = Optional.of(responder);
        return this;
    }

    /** Drops the recorded requests (a long-running test would otherwise keep every body it was sent). */
    public void forgetRequests() { requests.clear(); }

    /**
     * Headers every later answer carries besides its own (a provider's rate-limit report, say), streamed or not; an
     * answer's own header of the same name wins.
     */
    public FakeLlm responseHeaders(Map<String, String> headers) {
        extraHeaders = Map.copyOf(headers);
        return this;
    }

    /**
     * As if just started, on the same port: no scripted turn, no responder, no extra header, no recorded request. For a class whose
     * tests share one fake because they share the daemon configured with its address.
     */
    public synchronized FakeLlm reset() {
        script.clear();
        responder = Optional.empty();
        extraHeaders = Map.of();
        requests.clear();
        return this;
    }

    public List<RecordedRequest> requests() { return List.copyOf(requests); }

    /** Waits until at least {@code n} requests arrived; false on timeout. */
    public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** How many requests are being answered now (a stalled one counts until its client closes the connection). */
    public int openConnections() { return open.get(); }

    /** Waits until no request is being answered; false on timeout (a connection the client left open). */
    public boolean awaitNoOpenConnections(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        open.incrementAndGet();
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            Wire wire = Wire.of(path);
            if (!exchange.getRequestMethod().equals("POST") || wire == null) {
                respond(exchange, 404, "{\"error\":{\"message\":\"unknown route " + path + "\"}}", Map.of());
                return;
            }
            int seq = requests.size() + 1;
            var recorded = new RecordedRequest(path, headers, body, System.nanoTime());
            requests.add(recorded);
            Turn turn;
            if (responder.isPresent()) {
                turn = responder.get().turnFor(recorded);
            } else {
                synchronized (this) {
                    turn = script.poll();
                }
            }
            if (turn == null) {
                String message = "fake LLM: no scripted turn left for request " + seq;
                String error = switch (wire) {
                    case ANTHROPIC -> AnthropicStream.error("api_error", message);
                    case CHAT -> OpenAiStream.error("server_error", "no_scripted_turn", message);
                    case RESPONSES -> ResponsesStream.error("no_scripted_turn", message);
                };
                respond(exchange, 500, error, Map.of());
                return;
            }
            if (turn.fault() instanceof Turn.Fault.HttpError e) {
                respond(exchange, e.status(), e.body(), e.headers());
                return;
            }
            JsonNode request = JSON.readTree(body.isBlank() ? "{}" : body);
            String model = request.path("model").asString("fake-model");
            if (!request.path("stream").asBoolean(false)) {
                String answer = switch (wire) {
                    case ANTHROPIC -> AnthropicStream.body(turn, model, seq);
                    case CHAT -> OpenAiStream.body(turn, model, seq);
                    case RESPONSES -> JSON.writeValueAsString(ResponsesStream.body(turn, model, seq));
                };
                respond(exchange, 200, answer, Map.of());
                return;
            }
            boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
            stream(exchange, turn, switch (wire) {
                case ANTHROPIC -> AnthropicStream.events(turn, model, seq);
                case CHAT -> OpenAiStream.events(turn, model, seq, usage);
                case RESPONSES -> ResponsesStream.events(turn, model, seq);
            });
        } catch (IOException | RuntimeException e) {
            // the client went away mid-stream (killed, aborted): nothing to answer, the next turn is still served
        } finally {
            open.decrementAndGet();
        }
    }

    private enum Wire {
        CHAT, RESPONSES, ANTHROPIC;

        static Wire of(String path) {
            if (path.endsWith("/messages")) return ANTHROPIC;
            if (path.endsWith("/chat/completions")) return CHAT;
            if (path.endsWith("/responses")) return RESPONSES;
            return null;
        }
    }

    private void stream(HttpExchange exchange, Turn turn, List<String> events) throws IOException {
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int limit = switch (turn.fault()) {
            case Turn.Fault.Stall s -> Math.min(s.events(), events.size());
            case Turn.Fault.Truncate t -> Math.min(t.events(), events.size());
            case Turn.Fault.None _, Turn.Fault.HttpError _, Turn.Fault.Malformed _, Turn.Fault.Pause _ -> events.size();
        };
        for (int i = 0; i < limit; i++) {
            if (i > 0 && !turn.delayBetweenEvents().isZero()) sleep(turn.delayBetweenEvents());
            if (turn.fault() instanceof Turn.Fault.Pause p && i == p.events()) await(p.resume());
            if (turn.fault() instanceof Turn.Fault.Malformed m && i == m.events()) {
                out.write("data: {\"choices\": [{\"delta\": {\"content\": \"cut\n\n".getBytes(StandardCharsets.UTF_8));
            }
            String event = events.get(i);
            if (event.contains(SEND_TIME)) event = event.replace(SEND_TIME, Long.toString(System.nanoTime()));
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (turn.fault() instanceof Turn.Fault.Stall) {
            // keep the connection open, sending nothing, until the client gives up or the fake is closed
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (!closing.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    if (ClientSocket.closedByPeer(server.getAddress().getPort(), exchange.getRemoteAddress().getPort())) break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }

    private void respond(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
