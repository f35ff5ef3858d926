package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.TeamId;
import dev.lathe.protocol.SessionId;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the router, against the real core: 401 without the token, 403 for a foreign Origin, 421 for a
 * foreign Host, and never a 5xx for bad input (malformed JSON, wrong media type, unknown ids, empty objects).
 */
class RouteSweepTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static ServerHarness raw;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void everyRouteIsGuarded() throws Exception {
        List<Router.Route> routes = live.http.routes();
        assertThat(routes).hasSizeGreaterThan(40);
        for (Router.Route route : routes) {
            String path = concrete(route);
            String what = route.method() + " " + route.template();
            if (route.rights().needsCredential()) {
                assertThat(send(route, path, false, null).statusCode()).as(what + " without token").isEqualTo(401);
                assertThat(send(route, path, false, "Bearer wrong-token").statusCode()).as(what + " with a wrong token").isEqualTo(401);
            }
            var foreignOrigin = send(route, path, true, null, "Origin", "http://evil.example");
            assertThat(foreignOrigin.statusCode()).as(what + " from a foreign origin").isEqualTo(403);
            var nullOrigin = send(route, path, true, null, "Origin", "null");
            assertThat(nullOrigin.statusCode()).as(what + " from origin null").isEqualTo(403);
            String reply = rawExchange(route.method() + " " + path + " HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " + live.token
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(what + " for a foreign host").startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void badInputIsNeverAServerError() throws Exception {
        for (Router.Route route : live.http.routes()) {
            if (route.doc().response() instanceof RouteDoc.Shape.Events) continue;  // a stream: checked in EventStreamTest
            String path = concrete(route);
            String what = route.method() + " " + route.template();
            for (String body : List.of("{\"broken\": [", "{}", "[]", "{\"directory\": 7, \"parts\": \"x\", \"reply\": \"maybe\"}")) {
                var response = send(route, path, true, null, "Content-Type", "application/json", body);
                assertThat(response.statusCode()).as(what + " with " + body + ": " + response.body()).isLessThan(500);
                if (response.statusCode() >= 400) assertThat(response.body()).as(what).contains("\"error\"").doesNotContain("Exception");
            }
            var wrongType = send(route, path, true, null, "Content-Type", "text/plain", "hello");
            assertThat(wrongType.statusCode()).as(what + " with text/plain").isLessThan(500);
            if (route.doc().body().isPresent()) assertThat(wrongType.statusCode()).as(what + " with text/plain").isEqualTo(415);
        }
    }

    /** The template with each parameter replaced by a well-formed id nobody has. */
    private static String concrete(Router.Route route) {
        var out = new StringBuilder();
        for (String segment : route.segments()) {
            out.append('/');
            if (!segment.startsWith("{")) {
                out.append(segment);
            } else if (segment.equals("{provider}")) {
                out.append("openai");
            } else {
                out.append(switch (route.segments().getFirst()) {
                    case "sessions" -> SessionId.next().value();
                    case "permissions" -> PermissionId.next().value();
                    case "questions" -> QuestionId.next().value();
                    case "approvals" -> "p0000abcd";
                    case "mcp" -> "no-such-server";
                    case "editor" -> "edr_0000nobody";
                    case "worktrees" -> "no-such-worktree";
                    case "users" -> "nobody";
                    case "schedules" -> ScheduleId.next().value();
                    case "teams" -> TeamId.next().value();
                    default -> throw new AssertionError("no sample id for " + route.template());
                });
            }
        }
        return out + "?directory=" + live.project;
    }

    private static HttpResponse<String> send(Router.Route route, String path, boolean token, String authorization, String... headersAndBody) {
        var builder = HttpRequest.newBuilder(java.net.URI.create(live.http.url() + path)).timeout(java.time.Duration.ofSeconds(10));
        if (token) builder.header("Authorization", "Bearer " + live.token);
        if (authorization != null) builder.header("Authorization", authorization);
        String body = headersAndBody.length % 2 == 1 ? headersAndBody[headersAndBody.length - 1] : "";
        for (int i = 0; i + 1 < headersAndBody.length; i += 2) builder.header(headersAndBody[i], headersAndBody[i + 1]);
        builder.method(route.method(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try (var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError(route.method() + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String rawExchange(String request) throws java.io.IOException {
        try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), live.http.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
