package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §18 "Steering" from the command line, against the daemon: {@code lathe run --attach URL --session ID --deliver
 * steer MESSAGE} lands in the next request of the running turn, and {@code lathe run --session ID --deliver interrupt
 * MESSAGE} stops a long command and runs the message next. Each run prints its own turn only: a prompt queued behind
 * the running turn neither prints that turn nor lends its answer to it, and an interrupting prompt says it interrupted.
 */
class SteeringIT {
    private static final Pattern SESSION = Pattern.compile("\"id\"\\s*:\\s*\"(ses_[^\"]+)\"");

    @TempDir Path home;

    /** Waits (at most a minute) until the session holds a prompt saying {@code text}. */
    private static void awaitPrompt(HttpLatheClient api, SessionId session, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.messages(session).stream().noneMatch(m -> m.info() instanceof UserMessage
                && m.parts().stream().anyMatch(p -> p instanceof Part.Text t && t.text().contains(text)))) {
            if (System.nanoTime() > deadline) throw new AssertionError("the prompt '" + text + "' was never stored");
            Thread.sleep(100);
        }
    }

    @Test
    void aSteerFromTheCommandLineLandsInTheRunningTurnAndAnInterruptStopsALongCommand() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            // the command waits (at most a minute) for the file the test makes once the steer is stored: on a busy
            // machine a timed sleep could end before the steer's JVM has sent it
            llm.enqueue(Turn.of(Step.toolCall("call_wait", "bash",
                    "{\"command\": \"for i in $(seq 600); do [ -e go ] && break; sleep 0.1; done; echo slept\"}")));
            llm.enqueue(Turn.of(Step.text("Done, and noted.")));
            llm.enqueue(Turn.of(Step.text("Queued answer.")));
            llm.enqueue(Turn.of(Step.toolCall("call_long", "bash", "{\"command\": \"sleep 31.2\"}")));
            llm.enqueue(Turn.of(Step.text("Doing the other thing.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            try {
                String dir = ws.path().toString();
                var first = lathe.start(ws.path(), "run", "--dir", dir, "--allow-all", "wait a little");
                assertThat(llm.awaitRequests(1, Duration.ofSeconds(60))).isTrue();
                var listed = lathe.run("sessions", "--dir", dir, "--format", "json");
                var id = SESSION.matcher(listed.stdout());
                assertThat(id.find()).as(listed.stdout()).isTrue();
                String session = id.group(1);
                String url = lathe.server().orElseThrow().url();

                Lathe.Started queued;
                var steer = lathe.start(ws.path(), "run", "--attach", url, "--dir", dir, "--session", session, "--deliver", "steer", "also print the date");
                try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(dir))) {
                    awaitPrompt(api, new SessionId(session), "also print the date");
                    // a prompt queued behind the running turn: a turn of its own, each run printing only its own
                    queued = lathe.start(ws.path(), "run", "--dir", dir, "--session", session, "and then this");
                    awaitPrompt(api, new SessionId(session), "and then this");
                }
                Files.writeString(ws.path().resolve("go"), "");
                assertThat(steer.awaitExit()).as(steer.stderr()).isZero();
                assertThat(first.awaitExit()).as(first.stderr()).isZero();
                assertThat(queued.awaitExit()).as(queued.stderr()).isZero();
                assertThat(llm.requests()).hasSize(3);
                assertThat(llm.requests().get(0).body()).doesNotContain("also print the date");
                assertThat(llm.requests().get(1).body()).contains("slept").contains("also print the date");
                assertThat(first.stdout()).isEqualTo("Done, and noted.\n");
                assertThat(steer.stdout()).isEqualTo("Done, and noted.\n");
                assertThat(queued.stdout()).isEqualTo("Queued answer.\n");
                assertThat(queued.stderr()).contains("lathe: the session is busy: this prompt runs when its running turn ends")
                        .doesNotContain("✓ bash").contains("lathe: 1 step,");

                var second = lathe.start(ws.path(), "run", "--dir", dir, "--session", session, "--allow-all", "now the long one");
                assertThat(llm.awaitRequests(4, Duration.ofSeconds(60))).isTrue();
                Thread.sleep(1500);
                long start = System.nanoTime();
                var interrupt = lathe.run("run", "--dir", dir, "--session", session, "--deliver", "interrupt", "stop, do the other thing");
                assertThat(interrupt.exit()).as(interrupt.stderr()).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
                // the interrupted turn's stopped command is that run's line, not this one's (issue 71, minor 15)
                assertThat(interrupt.stdout()).isEqualTo("Doing the other thing.\n");
                assertThat(interrupt.stderr()).startsWith("lathe: interrupted the session's running turn (its answer ends there); this prompt runs in its place\n")
                        .doesNotContain("✗ bash").doesNotContain("aborted").contains("lathe: 1 step,");
                second.awaitExit();
                assertThat(second.stdout()).doesNotContain("Doing the other thing.");
                assertThat(second.stderr()).contains("✗ bash Command aborted by the user.");
                assertThat(llm.requests()).hasSize(5);
                assertThat(llm.requests().get(4).body()).contains("stop, do the other thing");
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
