package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients mixing create, prompt, abort, delete, list and reads on the same few sessions, at random, against the
 * real core and the real server on loopback with a fake model that streams slowly (issue 25): no request may answer
 * 5xx, and a request about a session deleted under it answers 404 (or 409) with a message.
 */
class ConcurrencyStormTest {
    private static final Pattern ID = Pattern.compile("\"id\":\"(ses_[^\"]+)\"");

    @TempDir Path tmp;

    @Test
    void racingOperationsOnTheSameSessionsNeverAnswer5xx() throws Exception {
        try (var live = new LiveServer(tmp)) {
            live.llm.respondWith(r -> Turn.of(Step.textDeltas(List.of("a", "b", "c", "d", "e", "f"))).delayBetweenEvents(Duration.ofMillis(5)));
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var sessions = ConcurrentHashMap.<String>newKeySet();
            List<String> failures = new CopyOnWriteArrayList<>();
            var counts = new ConcurrentHashMap<Integer, AtomicInteger>();
            String dir = live.project.toString();
            long seed = System.nanoTime();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 12; t++) {
                    var random = new Random(seed + t);
                    pool.submit(() -> {
                        while (System.nanoTime() < until) {
                            String sid = sessions.stream().skip(sessions.isEmpty() ? 0 : random.nextInt(Math.max(1, sessions.size()))).findFirst()
                                    .orElse("ses_00000000000000000000000000");
                            HttpRequest.Builder request = switch (sessions.size() < 3 ? 0 : random.nextInt(10)) {
                                case 0 -> json("/sessions", "POST", "{\"directory\":" + quoted(dir) + "}");
                                case 9 -> json("/sessions", "POST", "{\"directory\":" + quoted(dir) + ",\"parentId\":\"" + sid + "\"}");
                                case 1, 2 -> json("/sessions/" + sid + "/prompt", "POST", "{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}");
                                case 3 -> json("/sessions/" + sid + "/abort", "POST", "{}");
                                case 4 -> base("/sessions/" + sid).DELETE();
                                case 5 -> base("/sessions?directory=" + java.net.URLEncoder.encode(dir, java.nio.charset.StandardCharsets.UTF_8)).GET();
                                case 6 -> base("/sessions/" + sid + "/messages").GET();
                                case 7 -> json("/sessions/" + sid, "PATCH", "{\"title\":\"t" + random.nextInt(100) + "\"}");
                                default -> base("/sessions/" + sid).GET();
                            };
                            HttpRequest built = withServer(request, live).build();
                            try {
                                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                                counts.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                                if (response.statusCode() >= 500) failures.add(built.method() + " " + built.uri().getPath() + " -> " + response.body());
                                if ((response.statusCode() == 404 || response.statusCode() == 409) && !response.body().contains("\"message\":\"")) {
                                    failures.add(built.method() + " " + built.uri().getPath() + " -> " + response.statusCode() + " without a message");
                                }
                                if (built.method().equals("POST") && built.uri().getPath().equals("/sessions") && response.statusCode() == 201) {
                                    var m = ID.matcher(response.body());
                                    if (m.find()) sessions.add(m.group(1));
                                }
                                if (built.method().equals("DELETE") && response.statusCode() == 200) sessions.remove(sid);
                            } catch (Exception e) {
                                failures.add(built.method() + " " + built.uri().getPath() + " -> " + e);
                            }
                        }
                        return null;
                    });
                }
            }
            assertThat(failures).as("seed " + seed + ", statuses " + counts).isEmpty();
            assertThat(counts.keySet()).as("the storm exercised the races").contains(201, 202, 404);
            // the server is still whole: every remaining session answers and goes idle
            var client = live.client();
            for (String id : sessions) {
                try {
                    live.awaitIdle(client, new dev.lathe.protocol.SessionId(id));
                } catch (dev.lathe.protocol.api.LatheException.NotFound e) {
                    // a child deleted with its parent
                }
            }
        }
    }

    private static HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create("http://placeholder" + path)).timeout(Duration.ofSeconds(20));
    }

    private static HttpRequest.Builder json(String path, String method, String body) {
        return base(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder withServer(HttpRequest.Builder request, LiveServer live) {
        HttpRequest built = request.build();
        String target = live.http.url() + built.uri().getRawPath() + (built.uri().getRawQuery() == null ? "" : "?" + built.uri().getRawQuery());
        return HttpRequest.newBuilder(built, (n, v) -> true).uri(URI.create(target)).header("Authorization", "Bearer " + live.token);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
