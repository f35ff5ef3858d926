package dev.lathe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keeps {@link ServerBench} from rotting: the whole run at a tiny size against a real server process, no figure checked against its target. */
class ServerBenchIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void tinyRunPrintsRealFiguresForEveryMeasurement() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = ServerBench.run(List.of("--sessions", "2", "--streams", "3", "--deltas", "5", "--interval-ms", "5", "--settle-ms", "200",
                "--own-classpath"), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String notes = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(notes).isZero();
        List<JsonNode> figures = out.toString(StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
        assertThat(figures).extracting(f -> f.path("figure").asString() + "/" + f.path("sessions").asInt(-1))
                .containsExactly("server_idle_rss_mib/0", "server_hwm_mib/0", "server_idle_rss_mib/2", "server_hwm_mib/2",
                        "stream_event_latency_ms/-1");
        for (JsonNode rss : figures.subList(0, 4)) assertThat(rss.path("value").asDouble()).as(rss.toString()).isPositive();
        assertThat(figures.get(1).path("value").asDouble()).isGreaterThanOrEqualTo(figures.get(0).path("value").asDouble());
        JsonNode latency = figures.get(4);
        assertThat(latency.path("count").asInt()).isEqualTo(3 * 5);
        assertThat(latency.path("p50").asDouble()).isPositive();
        assertThat(latency.path("p99").asDouble()).isGreaterThanOrEqualTo(latency.path("p50").asDouble());
        assertThat(latency.path("max").asDouble()).isGreaterThanOrEqualTo(latency.path("p99").asDouble());
        assertThat(notes).doesNotContain("sk-bench");
    }
}
