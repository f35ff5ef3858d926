package dev.lathe.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GitHub's REST API on loopback, as much of it as {@code lathe github run} calls, answering in GitHub's shapes: a
 * collaborator's permission, issue comments (create, update), pull requests (get, create) and reviews. Every request
 * is recorded with its body and {@code Authorization} header.
 */
final class FakeGitHub implements AutoCloseable {
    record Call(String method, String path, String authorization, JsonNode body) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PERMISSION = Pattern.compile("/repos/([^/]+/[^/]+)/collaborators/([^/]+)/permission");
    private static final Pattern PULL = Pattern.compile("/repos/([^/]+/[^/]+)/pulls/(\\d+)");

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> permissions = new ConcurrentHashMap<>();
    private final Map<Integer, String> pulls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(5_000_000_000L);

    FakeGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    /** {@code login}'s permission as GitHub answers it: {@code role_name} exact, {@code permission} folded to admin, write, read. */
    FakeGitHub permission(String login, String role) {
        permissions.put(login, role);
        return this;
    }

    /** {@code GET /pulls/N}'s answer. */
    FakeGitHub pull(int number, String json) {
        pulls.put(number, json);
        return this;
    }

    List<Call> calls() { return List.copyOf(calls); }

    /** The calls that change something on GitHub (all but GET). */
    List<Call> writes() { return calls.stream().filter(c -> !c.method().equals("GET")).toList(); }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
        calls.add(new Call(method, path, ex.getRequestHeaders().getFirst("Authorization"), body));
        Matcher permission = PERMISSION.matcher(path);
        Matcher pull = PULL.matcher(path);
        if (method.equals("GET") && permission.matches()) {
            String role = permissions.get(permission.group(2));
            if (role == null) {
                answer(ex, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
                return;
            }
            String folded = switch (role) {
                case "maintain" -> "write";
                case "triage" -> "read";
                default -> role;
            };
            answer(ex, 200, "{\"permission\":\"" + folded + "\",\"role_name\":\"" + role + "\",\"user\":{\"login\":\"" + permission.group(2)
                    + "\",\"id\":1,\"type\":\"User\"}}");
        } else if (method.equals("POST") && path.matches("/repos/[^/]+/[^/]+/issues/\\d+/comments")) {
            long id = ids.incrementAndGet();
            answer(ex, 201, "{\"id\":" + id + ",\"html_url\":\"https://github.com/x/y/issues/1#issuecomment-" + id + "\",\"body\":"
                    + JSON.writeValueAsString(body.path("body").asString()) + "}");
        } else if (method.equals("PATCH") && path.matches("/repos/[^/]+/[^/]+/issues/comments/\\d+")) {
            answer(ex, 200, "{\"id\":" + path.substring(path.lastIndexOf('/') + 1) + "}");
        } else if (method.equals("POST") && path.matches("/repos/[^/]+/[^/]+/pulls")) {
            answer(ex, 201, "{\"number\":43,\"html_url\":\"https://github.com/octo-org/hello/pull/43\",\"state\":\"open\"}");
        } else if (method.equals("GET") && pull.matches() && pulls.containsKey(Integer.parseInt(pull.group(2)))) {
            answer(ex, 200, pulls.get(Integer.parseInt(pull.group(2))));
        } else if (method.equals("POST") && path.matches("/repos/[^/]+/[^/]+/pulls/\\d+/reviews")) {
            answer(ex, 200, "{\"id\":80,\"state\":\"COMMENTED\"}");
        } else {
            answer(ex, 404, "{\"message\":\"Not Found\"}");
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() { server.stop(0); }
}
