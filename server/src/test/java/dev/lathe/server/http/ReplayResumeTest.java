package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Last-Event-ID: N} on the real server resumes after event N: no frame carries N again (issue 53: the
 * {@code server.connected} frame repeated it, and so did every heartbeat), whichever way the resume point is given
 * (the header a browser's EventSource sends, the {@code lastEventId} query, both), with or without filters.
 */
class ReplayResumeTest {
    @TempDir Path tmp;

    /** One frame; {@code id} -1 when it has no {@code id:} line. */
    private record Frame(long id, String type) {}

    @Test
    void lastEventIdResumesAfterThatEventNeverWithIt() throws Exception {
        try (var live = new LiveServer(tmp)) {
            live.llm.respondWith(r -> Turn.of(Step.textDeltas(List.of("a", "b", "c"))));
            var client = live.client();
            var seqs = new java.util.concurrent.CopyOnWriteArrayList<Long>();
            var sub = client.subscribe(dev.lathe.protocol.api.EventFilter.ALL, 0, e -> {
                if (e.event() instanceof dev.lathe.protocol.event.Event.MessageUpdated) seqs.add(e.seq());
            });
            var session = live.session(client);
            client.prompt(session.id(), new dev.lathe.protocol.api.PromptRequest(List.of(new dev.lathe.protocol.api.InputPart.Text("hi")), java.util.Optional.empty(), java.util.Optional.empty()));
            live.awaitIdle(client, session.id());
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Thread.sleep(300);
            sub.close();
            String all = "/events?directory=";
            long n = seqs.getFirst();
            for (String path : List.of(all, "/events?session=" + session.id().value(), "/events?directory=" + live.project)) {
                List<Frame> header = frames(http, live, path, "" + n, 3);
                assertThat(header.getFirst()).as(path).isEqualTo(new Frame(-1, "server.connected"));
                assertThat(header.subList(1, header.size())).as(path).allSatisfy(f -> assertThat(f.id()).isGreaterThan(n));
                List<Frame> query = frames(http, live, path + "&lastEventId=" + n, null, 3);
                assertThat(query.getFirst()).as(path).isEqualTo(new Frame(-1, "server.connected"));
                assertThat(query.subList(1, query.size())).as(path).allSatisfy(f -> assertThat(f.id()).isGreaterThan(n));
                // an EventSource opened on a URL with an older resume point sends the newer one as the header
                List<Frame> both = frames(http, live, path + "&lastEventId=" + (n - 1), "" + n, 3);
                assertThat(both.subList(1, both.size())).as(path).allSatisfy(f -> assertThat(f.id()).isGreaterThan(n));
            }
        }
    }

    private static List<Frame> frames(HttpClient http, LiveServer live, String path, String lastEventId, int count) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(live.http.url() + path)).header("Authorization", "Bearer " + live.token);
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Frame> frames = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long id = -1;
            String type = "";
            String line;
            while (frames.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("id: ")) id = Long.parseLong(line.substring(4));
                else if (line.startsWith("event: ")) type = line.substring(7);
                else if (line.isEmpty()) {
                    if (!type.equals("server.heartbeat")) frames.add(new Frame(id, type));
                    else assertThat(id).as("a heartbeat repeats no event's id").isEqualTo(-1);
                    type = "";
                    id = -1;
                }
            }
        }
        return frames;
    }
}
