package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.ServerEndpoint;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.TempWorkspace;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 40, item 4: no route that takes a folder or a path serves the server's secrets to a token holder. A real daemon
 * from the packaged jar holds a provider key in its environment (so in {@code /proc/self/environ}), a canary file in its
 * data folder and one outside every project; every GET route of its OpenAPI document that takes {@code directory} or
 * {@code path} (so a route added later is swept too) is called with hostile folders ({@code /}, {@code /proc/self}, the
 * data folder, a folder no client opened, a home folder a session was opened in) and hostile paths ({@code ..}
 * escapes, absolute paths, links out of the project, into {@code /proc} and into the data folder), by query parameter
 * and, on the routes taking a path, by the {@code X-Lathe-Directory} header. No answer may hold a canary, and none may be a 500.
 */
class FileRoutesSweepIT {
    private static final String KEY_CANARY = "sk-sweep-canary-5f0c9e1a";
    private static final String DATA_CANARY = "DATA-FOLDER-CANARY-77e1";
    private static final String OUTSIDE_CANARY = "OUTSIDE-CANARY-2b4d";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path tmp;

    @Test
    void noRouteTakingAFolderOrPathServesTheServersSecrets() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home")).toRealPath();
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), OUTSIDE_CANARY + "\n");
        Path data = Files.createDirectories(home.resolve("data/lathe"));
        Files.writeString(data.resolve("canary.txt"), DATA_CANARY + "\n");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create().write("a.txt", "x\n").initGitRepo()) {
            Path project = ws.path().toRealPath();
            Files.createSymbolicLink(project.resolve("leak.txt"), outside.resolve("secret.txt"));
            Files.createSymbolicLink(project.resolve("proc"), Path.of("/proc/self"));
            Files.createSymbolicLink(project.resolve("lathe-data"), data);
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"{env:SWEEP_PROVIDER_KEY}\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4096}}}}}";
            var lathe = new Lathe(home, config).withEnv("SWEEP_PROVIDER_KEY", KEY_CANARY);
            var serve = ServeProcess.start(lathe);
            try {
                ServerEndpoint endpoint = serve.awaitReady(Duration.ofSeconds(60)).endpoint();
                // the projects of this server: the workspace, and the home folder (which holds Lathe's data folder)
                for (Path dir : List.of(project, home)) {
                    var created = send(endpoint, "POST", "/sessions", null, "{\"directory\": " + JSON.writeValueAsString(dir.toString()) + "}");
                    assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);
                }
                Map<String, Boolean> routes = routesTakingAFolderOrPath(endpoint);
                assertThat(routes).as("the file routes are in the sweep").containsKeys("/files", "/files/content", "/find/files", "/find/text");

                List<String> folders = List.of("/", "/proc/self", "/proc", "/dev", data.toString(), home.resolve("state/lathe").toString(),
                        outside.toString(), project.toString(), project + "/..", home.toString());
                List<String> paths = List.of("", "proc/self/environ", "../../../../../../proc/self/environ", "/proc/self/environ",
                        "leak.txt", "proc/environ", "lathe-data/canary.txt", "data/lathe/canary.txt", "../outside/secret.txt",
                        "state/lathe/server.json", "environ", "canary.txt");
                List<String> canaries = List.of(KEY_CANARY, DATA_CANARY, OUTSIDE_CANARY, endpoint.token());
                List<String> problems = new ArrayList<>();
                int calls = 0;
                for (var entry : routes.entrySet()) {
                    String route = entry.getKey();
                    // every hostile path where a route takes one; the folder alone where it does not
                    boolean takesPath = entry.getValue();
                    for (String folder : folders) {
                        for (String path : takesPath ? paths : List.of("environ")) {
                            // one reading of the folder serves every route (Call.directory): the header is tried where paths are
                            for (boolean header : takesPath ? List.of(false, true) : List.of(false)) {
                                Map<String, String> query = new LinkedHashMap<>();
                                if (!header) query.put("directory", folder);
                                query.put("path", path);
                                // what the search routes look for: the canaries themselves
                                query.put("query", path.isEmpty() ? "canary" : path);
                                query.put("pattern", "CANARY|sk-sweep");
                                String uri = route + "?" + encode(query);
                                var r = send(endpoint, "GET", uri, header ? folder : null, null);
                                calls++;
                                String body = r.body();
                                for (String canary : canaries) {
                                    if (body.contains(canary)) problems.add(r.statusCode() + " GET " + uri + (header ? " (header " + folder + ")" : "") + " leaks " + canary);
                                }
                                if (r.statusCode() >= 500) problems.add(r.statusCode() + " GET " + uri + ": " + body);
                            }
                        }
                    }
                }
                assertThat(problems).as("after %d calls", calls).isEmpty();

                // and the refusals say why, with a 4xx
                var root = send(endpoint, "GET", "/files/content?" + encode(Map.of("directory", "/", "path", "proc/self/environ")), null, null);
                assertThat(root.statusCode()).isEqualTo(403);
                assertThat(root.body()).contains("file system root");
                var unknown = send(endpoint, "GET", "/files?" + encode(Map.of("directory", outside.toString())), null, null);
                assertThat(unknown.statusCode()).isEqualTo(403);
                assertThat(unknown.body()).contains("not a project of this server");
                var inData = send(endpoint, "GET", "/files/content?" + encode(Map.of("directory", home.toString(), "path", "data/lathe/canary.txt")), null, null);
                assertThat(inData.statusCode()).isEqualTo(403);
                // the project itself is still served
                var ok = send(endpoint, "GET", "/files/content?" + encode(Map.of("directory", project.toString(), "path", "a.txt")), null, null);
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            } finally {
                serve.stop(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Every GET route of the server's OpenAPI document with a {@code directory} or {@code path} query parameter (every
     * route also takes the {@code X-Lathe-Directory} header, tried on these), without path parameters, not the event
     * stream; whether it takes a {@code path}.
     */
    private static Map<String, Boolean> routesTakingAFolderOrPath(ServerEndpoint endpoint) throws Exception {
        var doc = send(endpoint, "GET", "/doc", null, null);
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(doc.body()).path("paths");
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (var e : paths.properties()) {
            String route = e.getKey();
            JsonNode get = e.getValue().path("get");
            if (get.isMissingNode() || route.contains("{") || route.equals("/events")) continue;
            boolean folder = false;
            boolean path = false;
            for (JsonNode p : get.path("parameters")) {
                if (!p.path("in").asString().equals("query")) continue;
                folder |= p.path("name").asString().equals("directory");
                path |= p.path("name").asString().equals("path");
            }
            if (folder || path) out.put(route, path);
        }
        return out;
    }

    private static String encode(Map<String, String> query) {
        var out = new StringBuilder();
        query.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static HttpResponse<String> send(ServerEndpoint endpoint, String method, String pathAndQuery, String directoryHeader, String json)
            throws Exception {
        var b = HttpRequest.newBuilder(URI.create(endpoint.url() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + endpoint.token());
        if (directoryHeader != null) b.header("X-Lathe-Directory", URLEncoder.encode(directoryHeader, StandardCharsets.UTF_8));
        if (json != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
