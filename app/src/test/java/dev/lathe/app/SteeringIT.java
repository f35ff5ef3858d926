package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §18 "Steering" from the command line, against the daemon: {@code lathe run --attach URL --session ID --deliver
 * steer MESSAGE} lands in the next request of the running turn, and {@code lathe run --session ID --deliver interrupt
 * MESSAGE} stops a long command and runs the message next.
 */
class SteeringIT {
    private static final Pattern SESSION = Pattern.compile("\"id\"\\s*:\\s*\"(ses_[^\"]+)\"");

    @TempDir Path home;

    @Test
    void aSteerFromTheCommandLineLandsInTheRunningTurnAndAnInterruptStopsALongCommand() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_wait", "bash", "{\"command\": \"sleep 9.1; echo slept\"}")));
            llm.enqueue(Turn.of(Step.text("Done, and noted.")));
            llm.enqueue(Turn.of(Step.toolCall("call_long", "bash", "{\"command\": \"sleep 31.2\"}")));
            llm.enqueue(Turn.of(Step.text("Doing the other thing.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            try {
                String dir = ws.path().toString();
                var first = lathe.start(ws.path(), "run", "--dir", dir, "--allow-all", "wait a little");
                assertThat(llm.awaitRequests(1, Duration.ofSeconds(60))).isTrue();
                Thread.sleep(1500);  // the command runs (sandboxed: no process of ours to wait for) for 9 s from now
                var listed = lathe.run("sessions", "--dir", dir, "--format", "json");
                var id = SESSION.matcher(listed.stdout());
                assertThat(id.find()).as(listed.stdout()).isTrue();
                String session = id.group(1);
                String url = lathe.server().orElseThrow().url();

                var steer = lathe.run("run", "--attach", url, "--dir", dir, "--session", session, "--deliver", "steer", "also print the date");
                assertThat(steer.exit()).as(steer.stderr()).isZero();
                assertThat(first.awaitExit()).as(first.stderr()).isZero();
                assertThat(llm.requests()).hasSize(2);
                assertThat(llm.requests().get(0).body()).doesNotContain("also print the date");
                assertThat(llm.requests().get(1).body()).contains("slept").contains("also print the date");

                var second = lathe.start(ws.path(), "run", "--dir", dir, "--session", session, "--allow-all", "now the long one");
                assertThat(llm.awaitRequests(3, Duration.ofSeconds(60))).isTrue();
                Thread.sleep(1500);
                long start = System.nanoTime();
                var interrupt = lathe.run("run", "--dir", dir, "--session", session, "--deliver", "interrupt", "stop, do the other thing");
                assertThat(interrupt.exit()).as(interrupt.stderr()).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
                second.awaitExit();
                assertThat(llm.requests()).hasSize(4);
                assertThat(llm.requests().get(3).body()).contains("stop, do the other thing");
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
