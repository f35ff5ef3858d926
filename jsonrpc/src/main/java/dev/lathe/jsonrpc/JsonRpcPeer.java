package dev.lathe.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One end of a JSON-RPC 2.0 connection that carries one message per line (UTF-8, {@code \n}): it sends requests and
 * notifications, and answers the other end's. Both ends may ask at once, as in the Agent Client Protocol, where the
 * agent asks the editor for permission while the editor's prompt request is still open.
 *
 * <p>Threads: one virtual thread reads; notifications reach the handler on it, in arrival order (so a stream of
 * updates keeps its order), and must not block. Each incoming request runs on its own virtual thread and may block
 * (a prompt that lasts minutes, an answer waiting on a person). Writes are whole lines under a lock, so messages
 * from many threads never interleave.
 *
 * <p>A message longer than {@link #MAX_LINE} characters is answered with an error and ends the connection.
 *
 * <p>When the input ends (the other process exited) or {@link #close} is called, every request still waiting fails
 * with {@link JsonRpcError#CONNECTION_CLOSED} and {@link #closed} completes.
 */
public final class JsonRpcPeer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JsonRpcPeer.class.getName());
    /**
     * The longest message read, in characters: a prompt with a few images fits (ACP sends them base64 in the line), a
     * peer that never ends its line does not exhaust the memory. A longer one ends the connection.
     */
    public static final int MAX_LINE = 64 * 1024 * 1024;

    /** What the other end asks of this one. */
    public interface Handler {
        /** Answers a request; a thrown {@link JsonRpcError} is sent as the error, anything else as an internal error. */
        JsonNode request(String method, JsonNode params) throws JsonRpcError;

        /** Takes a notification; called on the reading thread in arrival order, so it must not block. */
        void notification(String method, JsonNode params);

        /**
         * Called once a request's result has been written (not after an error): what must reach the other end after
         * the answer goes here, e.g. ACP's list of commands, which names a session the editor learns of from the
         * answer.
         */
        default void answered(String method, JsonNode params, JsonNode result) {}

        /**
         * Called on the reading thread when a request arrives, before its own thread runs {@link #request}: a
         * notification that follows it on the wire (ACP's {@code session/cancel} after a {@code session/prompt}) is
         * then handled after this, never before the request is known.
         */
        default void received(String method, JsonNode params) {}
    }

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final Handler handler;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final int maxLine;

    /** @param name who the other end is, for logs and errors ({@code editor}, {@code agent claude}) */
    public JsonRpcPeer(String name, InputStream in, OutputStream out, Handler handler) {
        this(name, in, out, handler, MAX_LINE);
    }

    /** With a cap on a message's length other than {@link #MAX_LINE} (tests). */
    JsonRpcPeer(String name, InputStream in, OutputStream out, Handler handler, int maxLine) {
        this.maxLine = maxLine;
        this.name = name;
        this.in = in;
        this.out = out;
        this.handler = handler;
    }

    /** Starts reading. Call it once the handler is ready to be called. */
    public void start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("already started");
        Thread.ofVirtual().name("jsonrpc-" + name).start(this::read);
    }

    /** Sends a request; the future completes with its result, or fails with a {@link JsonRpcError}. */
    public CompletableFuture<JsonNode> request(String method, JsonNode params) {
        long id = ids.incrementAndGet();
        var answer = new CompletableFuture<JsonNode>();
        waiting.put(id, answer);
        // removed on any ending, so a request whose caller stopped waiting leaves nothing behind
        answer.whenComplete((_, _) -> waiting.remove(id));
        if (closed.isDone()) {
            answer.completeExceptionally(closedError());
            return answer;
        }
        ObjectNode message = envelope().put("id", id).put("method", method);
        message.set("params", params);
        if (!send(message)) answer.completeExceptionally(closedError());
        return answer;
    }

    /**
     * Gives up a request still waiting: its future fails with {@link JsonRpcError#REQUEST_CANCELLED}, and the other end
     * is told with the notification {@code cancelMethod} carrying {@code requestId} (ACP's {@code $/cancel_request}).
     * Nothing happens when the request was answered already.
     */
    public void cancel(CompletableFuture<JsonNode> request, String cancelMethod) {
        for (var e : waiting.entrySet()) {
            if (e.getValue() != request) continue;
            if (request.completeExceptionally(new JsonRpcError(JsonRpcError.REQUEST_CANCELLED, "cancelled by this end"))) {
                notify(cancelMethod, Json.object().put("requestId", e.getKey()));
            }
            return;
        }
    }

    /** Sends a notification: no answer comes. Dropped (and logged) when the connection has ended. */
    public void notify(String method, JsonNode params) {
        ObjectNode message = envelope().put("method", method);
        message.set("params", params);
        send(message);
    }

    /** Completes when the input ended or {@link #close} was called. */
    public CompletableFuture<Void> closed() { return closed; }

    /** Ends the connection: closes both streams and fails every request still waiting. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the input from " + name, e);
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the output to " + name, e);
        }
        ended();
    }

    private void read() {
        try (var reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            var lines = new LineReader(reader, maxLine);
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) dispatch(line);
            }
        } catch (LineReader.TooLong e) {
            // the rest of that line cannot be told from the next message: the connection ends, the other end is told why
            LOG.log(System.Logger.Level.WARNING, name + " sent " + e.getMessage() + "; closing the connection");
            answerError(NullNode.getInstance(), new JsonRpcError(JsonRpcError.INVALID_REQUEST, e.getMessage() + ": the connection is closed"));
            close();
        } catch (IOException e) {
            if (!closed.isDone()) LOG.log(System.Logger.Level.DEBUG, "reading from " + name + " ended: " + e.getMessage());
        } finally {
            ended();
        }
    }

    private void dispatch(String line) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(line);
        } catch (JacksonException e) {
            LOG.log(System.Logger.Level.WARNING, name + " sent a line that is not JSON: " + abbreviate(line));
            answerError(NullNode.getInstance(), new JsonRpcError(JsonRpcError.PARSE_ERROR, "not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (!message.isObject()) {
            answerError(NullNode.getInstance(), new JsonRpcError(JsonRpcError.INVALID_REQUEST, "a message is a JSON object"));
            return;
        }
        JsonNode id = message.get("id");
        JsonNode method = message.get("method");
        JsonNode params = message.has("params") ? message.get("params") : NullNode.getInstance();
        if (method != null && method.isString()) {
            if (id == null || id.isNull()) {
                notification(method.asString(), params);
            } else {
                received(method.asString(), params);
                Thread.ofVirtual().name("jsonrpc-" + name + "-" + method.asString()).start(() -> answer(id, method.asString(), params));
            }
        } else if (id != null && (message.has("result") || message.has("error"))) {
            answered(id, message);
        } else {
            answerError(id == null ? NullNode.getInstance() : id, new JsonRpcError(JsonRpcError.INVALID_REQUEST, "neither a request, a notification nor a response"));
        }
    }

    private void received(String method, JsonNode params) {
        try {
            handler.received(method, params);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "noting " + method + " from " + name + " failed", e);
        }
    }

    private void notification(String method, JsonNode params) {
        try {
            handler.notification(method, params);
        } catch (RuntimeException e) {
            // one bad notification must not end the connection
            LOG.log(System.Logger.Level.WARNING, "handling " + method + " from " + name + " failed", e);
        }
    }

    private void answer(JsonNode id, String method, JsonNode params) {
        JsonNode result;
        try {
            result = handler.request(method, params);
        } catch (JsonRpcError e) {
            answerError(id, e);
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "answering " + method + " from " + name + " failed", e);
            answerError(id, JsonRpcError.internal(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return;
        }
        ObjectNode message = envelope();
        message.set("id", id);
        message.set("result", result == null ? NullNode.getInstance() : result);
        if (!send(message)) return;
        try {
            handler.answered(method, params, message.get("result"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "after answering " + method + " from " + name, e);
        }
    }

    private void answered(JsonNode id, JsonNode message) {
        CompletableFuture<JsonNode> answer = id.canConvertToLong() ? waiting.get(id.asLong()) : null;
        if (answer == null) {
            LOG.log(System.Logger.Level.DEBUG, name + " answered a request that is not waiting: " + id);
            return;
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            JsonNode data = error.get("data");
            answer.completeExceptionally(new JsonRpcError(error.path("code").asInt(JsonRpcError.INTERNAL_ERROR),
                    error.path("message").asString("(no message)"), Optional.ofNullable(data)));
        } else {
            answer.complete(message.get("result"));
        }
    }

    private void answerError(JsonNode id, JsonRpcError error) {
        ObjectNode message = envelope();
        message.set("id", id);
        ObjectNode body = message.putObject("error").put("code", error.code()).put("message", error.getMessage());
        error.data().ifPresent(d -> body.set("data", d));
        send(message);
    }

    /** Writes one line; false when the connection has ended. */
    private boolean send(ObjectNode message) {
        byte[] line = (Json.mapper().writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        writing.lock();
        try {
            out.write(line);
            out.flush();
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "writing to " + name + " failed: " + e.getMessage());
            ended();
            return false;
        } finally {
            writing.unlock();
        }
    }

    private void ended() {
        if (closed.isDone()) return;
        closed.complete(null);
        waiting.values().forEach(w -> w.completeExceptionally(closedError()));
    }

    private JsonRpcError closedError() {
        return new JsonRpcError(JsonRpcError.CONNECTION_CLOSED, "the connection to " + name + " ended");
    }

    private static ObjectNode envelope() { return Json.object().put("jsonrpc", "2.0"); }

    private static String abbreviate(String line) { return line.length() <= 200 ? line : line.substring(0, 200) + "…"; }
}
