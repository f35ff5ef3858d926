package dev.lathe.mcp.stateless;

import dev.lathe.mcp.oauth.SdkAuthorization;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Streamable HTTP as the 2026-07-28 revision has it: every JSON-RPC request is its own POST to the one endpoint,
 * answered with a single JSON object or an SSE stream scoped to that request (notifications, then the response).
 * No session, no GET stream, no resumption. Each POST carries {@code MCP-Protocol-Version}, {@code Mcp-Method} and
 * the caller's {@code Mcp-Name}/{@code Mcp-Param-*} headers, the configured headers, and {@code Authorization} from
 * the OAuth hooks (a 401 or a 403 {@code insufficient_scope} is shown to them once; when they found a token the
 * request is sent again). A redirect is not followed but reported (decision 120).
 */
public final class HttpChannel implements Channel {
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() { };

    private final URI endpoint;
    private final Map<String, String> headers;
    private final Optional<SdkAuthorization> auth;
    private final Duration timeout;
    private final HttpClient http;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param headers sent on every request (the configured {@code headers})
     * @param timeout how long a request may wait for its response to begin; also the connect timeout
     */
    public HttpChannel(URI endpoint, Map<String, String> headers, Optional<SdkAuthorization> auth, Duration timeout) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.auth = auth;
        this.timeout = timeout;
        // no redirect is followed, as the SDK's transports follow none: the configured headers and the token would go
        // along to wherever it points, and a server on loopback could send Lathe off the machine in local-only mode
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public long nextId() { return ids.incrementAndGet(); }

    @Override
    public Reply exchange(long id, String method, Map<String, Object> params, Map<String, String> extraHeaders,
                   Consumer<Map<String, Object>> notifications, boolean timeout) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        String body;
        try {
            body = json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<InputStream> response = send(body, method, extraHeaders, timeout, true);
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        InputStream in = response.body();
        // the timeout of the request covers only the response's start: a stream that never brings the answer is cut
        // here, `timeout` after the later of its start and its last notification (a call that keeps reporting progress
        // is working, as MCP's resetTimeoutOnProgress has it)
        var late = new AtomicBoolean();
        var lastHeard = new AtomicLong(System.nanoTime());
        Thread watchdog = timeout ? Thread.ofVirtual().start(() -> {
            try {
                long left;
                while ((left = lastHeard.get() + this.timeout.toNanos() - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                late.set(true);
                closeQuietly(in);
            } catch (InterruptedException answered) {
                // the answer came in time
            }
        }) : null;
        try (in) {
            if (type.startsWith("text/event-stream")) {
                Map<String, Object> answer = events(in, id, n -> {
                    lastHeard.set(System.nanoTime());
                    notifications.accept(n);
                });
                if (late.get()) throw new IOException("cut");
                return new Reply(status, answer, "");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(status, parse(text), text);
        } catch (IOException e) {
            if (late.get()) throw new RpcError(method + ": no answer within " + this.timeout.toSeconds() + " s", null, status);
            throw new RpcError(method + ": the response broke off: " + e.getMessage(), null, status);
        } finally {
            if (watchdog != null) watchdog.interrupt();
        }
    }

    private HttpResponse<InputStream> send(String body, String method, Map<String, String> extraHeaders, boolean timeout,
                                           boolean mayRetry) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (timeout) builder.timeout(this.timeout);
        headers.forEach(builder::setHeader);
        builder.setHeader("Content-Type", "application/json")
                .setHeader("Accept", "application/json, text/event-stream")
                .setHeader(Stateless.HEADER_PROTOCOL_VERSION, Stateless.VERSION)
                .setHeader(Stateless.HEADER_METHOD, method);
        extraHeaders.forEach(builder::setHeader);
        auth.ifPresent(a -> a.customize(builder, "POST", endpoint, body, McpTransportContext.EMPTY));
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RpcError(method + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcError(method + ": interrupted", null, 0);
        }
        int status = response.statusCode();
        if (status / 100 == 3) {
            closeQuietly(response.body());
            String to = response.headers().firstValue("Location").orElse("nowhere said");
            throw new RpcError(method + ": the server redirected (HTTP " + status + ") to " + to + "; Lathe does not follow an MCP server's"
                    + " redirects: set its url to the address it points at", null, status);
        }
        if ((status == 401 || status == 403) && mayRetry && auth.isPresent()) {
            var info = new ResponseInfo(status, response.headers(), response.version());
            if (auth.get().handle(new HttpRequestSnapshot(endpoint, "POST", request.headers()), info, McpTransportContext.EMPTY)) {
                closeQuietly(response.body());
                return send(body, method, extraHeaders, timeout, false);
            }
        }
        return response;
    }

    /** Reads SSE events until the response to {@code id}; the others are notifications. Null when the stream ends first. */
    private Map<String, Object> events(InputStream in, long id, Consumer<Map<String, Object>> notifications) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    Map<String, Object> message = parse(data.toString());
                    data.setLength(0);
                    if (message == null) continue;
                    if (isResponseTo(message, id)) return message;
                    if (message.containsKey("method") && !message.containsKey("id")) notifications.accept(message);
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) data.append('\n');
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
            // "event:", "id:", "retry:" and ":" comment (keep-alive) lines carry nothing this revision uses
        }
        return null;
    }

    private static boolean isResponseTo(Map<String, Object> message, long id) {
        Object got = message.get("id");
        return got != null && String.valueOf(got).equals(Long.toString(id))
                && (message.containsKey("result") || message.containsKey("error"));
    }

    private Map<String, Object> parse(String text) {
        if (text.isBlank()) return null;
        try {
            return json.readValue(text, MAP);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the response is being discarded
        }
    }

    /** Aborts every request in flight (an open listen stream included). */
    @Override
    public void close() {
        http.shutdownNow();
    }

    private record ResponseInfo(int statusCode, HttpHeaders headers, HttpClient.Version version)
            implements HttpResponse.ResponseInfo { }
}
