package dev.lathe.mcp.stateless;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One stdio server process shared by the era probe, the SDK and the stateless client. The SDK's transport (which
 * starts the process and frames the lines) is opened once, here; the SDK client gets {@link #sdkTransport()}, a view
 * whose {@code connect} only registers its handler. Responses to Lathe's own requests (ids {@code lathe-N}) and,
 * once {@link #useStateless() stateless}, notifications of its {@code subscriptions/listen} streams (by
 * {@code io.modelcontextprotocol/subscriptionId}) come here; every other message goes to the SDK. So a legacy
 * server answers {@code server/discover} with an error and {@code initialize} still works on the same process.
 * Once stateless, the SDK client's close no longer reaches the process: {@link #close()} does.
 */
public final class StdioChannel implements Channel {
    private static final String ID_PREFIX = "lathe-";

    private final McpClientTransport transport;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean opened = new AtomicBoolean();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Pending> byProgressToken = new ConcurrentHashMap<>();
    private final McpClientTransport sdkView = new SdkView();
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> sdkHandler;
    private volatile boolean stateless;
    private volatile boolean closed;

    private record Pending(CompletableFuture<Map<String, Object>> response, Consumer<Map<String, Object>> notifications) { }

    /** @param timeout how long a request waits for its answer */
    public StdioChannel(McpClientTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    /** Starts the process (once). */
    public void open() {
        if (opened.compareAndSet(false, true)) transport.connect(this::dispatch).block(timeout);
    }

    /** What the SDK client is built on. */
    public McpClientTransport sdkTransport() { return sdkView; }

    /** The server speaks 2026-07-28: from now on the SDK client's close leaves the process to this channel. */
    public void useStateless() { stateless = true; }

    @Override
    public long nextId() { return ids.incrementAndGet(); }

    @Override
    public Reply exchange(long id, String method, Map<String, Object> params, Map<String, String> headers,
                          Consumer<Map<String, Object>> notifications, boolean timeout) {
        var lastHeard = new AtomicLong(System.nanoTime());
        CompletableFuture<Reply> reply = begin(id, method, params, n -> {
            lastHeard.set(System.nanoTime());
            notifications.accept(n);
        });
        try {
            return timeout ? awaitResetOnNotification(reply, lastHeard) : reply.get();
        } catch (TimeoutException e) {
            cancel(id, "timed out");
            throw new RpcError(method + ": no answer within " + this.timeout.toSeconds() + " s", null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(id, "cancelled");
            throw new RpcError(method + ": interrupted", null, 0);
        } catch (ExecutionException e) {
            throw new RpcError(method + ": " + e.getCause().getMessage(), null, 0);
        } finally {
            pending.remove(ID_PREFIX + id);
            Object token = progressToken(params);
            if (token != null) byProgressToken.remove(token);
        }
    }

    /** The answer, waiting {@code timeout} from the later of the request's start and its last notification. */
    private Reply awaitResetOnNotification(CompletableFuture<Reply> reply, AtomicLong lastHeard)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = lastHeard.get() + timeout.toNanos() - System.nanoTime();
            if (left <= 0) throw new TimeoutException();
            try {
                return reply.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // a notification came while we waited: the window starts again from it
            }
        }
    }

    /** The request's {@code _meta.progressToken} as a string (tokens are compared so), or null. */
    private static String progressToken(Map<String, Object> params) {
        return params != null && params.get("_meta") instanceof Map<?, ?> meta && meta.get("progressToken") != null
                ? String.valueOf(meta.get("progressToken")) : null;
    }

    /** Sends request {@code id} and returns its answer to come (failed when the channel closes first). */
    CompletableFuture<Reply> begin(long id, String method, Map<String, Object> params, Consumer<Map<String, Object>> notifications) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("the connection is closed"));
        String key = ID_PREFIX + id;
        var entry = new Pending(new CompletableFuture<>(), notifications);
        pending.put(key, entry);
        // progress has no request id on stdio: its token says which request it belongs to
        String token = progressToken(params);
        if (token != null) byProgressToken.put(token, entry);
        try {
            transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, key, params)).block(timeout);
        } catch (RuntimeException e) {
            pending.remove(key);
            return CompletableFuture.failedFuture(e);
        }
        return entry.response().thenApply(message -> new Reply(200, message, ""));
    }

    private void cancel(long id, String reason) {
        try {
            transport.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/cancelled",
                    Map.of("requestId", ID_PREFIX + id, "reason", reason))).block(timeout);
        } catch (RuntimeException ignored) {
            // the server is gone: nothing to cancel
        }
    }

    private Mono<McpSchema.JSONRPCMessage> dispatch(Mono<McpSchema.JSONRPCMessage> incoming) {
        return incoming.flatMap(message -> {
            if (message instanceof McpSchema.JSONRPCResponse response && response.id() != null
                    && pending.get(String.valueOf(response.id())) instanceof Pending p) {
                p.response().complete(asMap(response));
                return Mono.empty();
            }
            Pending listener = stateless && message instanceof McpSchema.JSONRPCNotification n ? listenerOf(n) : null;
            if (listener != null && message instanceof McpSchema.JSONRPCNotification n) {
                Pending p = listener;
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("method", n.method());
                map.put("params", n.params());
                p.notifications().accept(map);
                return Mono.empty();
            }
            var handler = sdkHandler;
            return handler == null ? Mono.empty() : handler.apply(Mono.just(message));
        });
    }

    /** The request a notification belongs to: its subscription stream, or the call whose progress it reports. */
    private Pending listenerOf(McpSchema.JSONRPCNotification n) {
        Pending subscription = subscription(n);
        return subscription != null ? subscription : progressOf(n);
    }

    private Pending progressOf(McpSchema.JSONRPCNotification n) {
        if (Stateless.PROGRESS.equals(n.method()) && n.params() instanceof Map<?, ?> params && params.get("progressToken") != null) {
            return byProgressToken.get(String.valueOf(params.get("progressToken")));
        }
        return null;
    }

    private Pending subscription(McpSchema.JSONRPCNotification n) {
        if (n.params() instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> meta
                && meta.get(Stateless.META_SUBSCRIPTION_ID) != null) {
            return pending.get(String.valueOf(meta.get(Stateless.META_SUBSCRIPTION_ID)));
        }
        return null;
    }

    private static Map<String, Object> asMap(McpSchema.JSONRPCResponse response) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", response.id());
        if (response.error() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", response.error().code());
            error.put("message", response.error().message());
            if (response.error().data() != null) error.put("data", response.error().data());
            map.put("error", error);
        } else {
            map.put("result", response.result() == null ? Map.of() : response.result());
        }
        return map;
    }

    @Override
    public void close() {
        closed = true;
        pending.values().forEach(p -> p.response().completeExceptionally(new IllegalStateException("the connection is closed")));
        try {
            transport.closeGracefully().block(Duration.ofSeconds(2));
        } catch (RuntimeException ignored) {
            // the process group is killed by the connection anyway
        }
    }

    /** The SDK client's transport: the shared process, its close ignored once the server turned out stateless. */
    private final class SdkView implements McpClientTransport {
        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            sdkHandler = handler;
            return Mono.fromRunnable(StdioChannel.this::open);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) { return transport.sendMessage(message); }

        @Override
        public Mono<Void> closeGracefully() { return stateless ? Mono.empty() : transport.closeGracefully(); }

        @Override
        public void close() {
            if (!stateless) transport.close();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) { return transport.unmarshalFrom(data, type); }

        @Override
        public List<String> protocolVersions() { return transport.protocolVersions(); }

        @Override
        public void setExceptionHandler(Consumer<Throwable> handler) { transport.setExceptionHandler(handler); }
    }
}
