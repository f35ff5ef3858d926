package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.ChildProcesses;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background commands and the daemon's life (DESIGN §32, decision 582), with the packaged jar as a user runs it: the
 * commands a {@code lathe run} leaves running in the daemon go on after the run ends; {@code lathe stop} ends them, a
 * {@code sleep &} inside and a setsid'd one included (checked by pid); they do not survive a restart (the model's
 * {@code bash_output} finds nothing); and what a daemon killed outright left running is ended by the next one.
 */
class BackgroundProcessesIT {
    @TempDir Path home;

    static String sleeper() {
        return "sleep " + (50000 + ThreadLocalRandom.current().nextInt(1, 40000));
    }

    @Test
    void latheStopEndsTheTreesTheyDoNotSurviveARestartAndACrashedDaemonsAreEndedByTheNext() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-processes")).daemonFirst();
            try {
                String amp = sleeper(), sid = sleeper();
                llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"" + amp + " & setsid " + sid
                        + " >/dev/null 2>&1 < /dev/null & echo up; wait\",\"background\":true}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("started")));
                var first = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "start the watcher");
                assertThat(first.exit()).as(first.stderr()).isZero();
                List<Long> pids = List.of(ChildProcesses.awaitAnywhere(amp), ChildProcesses.awaitAnywhere(sid));
                // the run ended; its command runs on in the daemon
                Thread.sleep(500);
                for (long pid : pids) assertThat(ChildProcesses.isRunning(pid)).as("pid " + pid + " after the run").isTrue();

                lathe.stopDaemon();
                assertThat(lathe.server()).isEmpty();
                for (long pid : pids) assertThat(ChildProcesses.isRunning(pid)).as("pid " + pid + " after lathe stop").isFalse();

                // a new daemon: the old commands are not its own, the model's bash_output says so
                llm.enqueue(Turn.of(Step.toolCall("o1", "bash_output", "{\"id\":\"bg_1\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("gone")));
                var second = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "--continue", "is it still running?");
                assertThat(second.exit()).as(second.stderr()).isZero();
                assertThat(llm.requests().getLast().toolResult("o1").orElseThrow()).contains("No background command with id 'bg_1'");

                // a daemon killed outright cannot end its trees: the next daemon of the same folders does
                String crash = sleeper();
                llm.enqueue(Turn.of(Step.toolCall("b2", "bash", "{\"command\":\"setsid " + crash + " >/dev/null 2>&1 < /dev/null & wait\",\"background\":true}"))
                        .finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("started again")));
                assertThat(lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "start it again").exit()).isZero();
                long orphan = ChildProcesses.awaitAnywhere(crash);
                long daemon = lathe.server().orElseThrow().pid();
                assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(daemon)).start().waitFor()).isZero();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline && ChildProcesses.isRunning(daemon)) Thread.sleep(50);
                // what ends it first varies (the tree's own reaper can see its daemon go): either way none may be left
                // running once the next daemon of the folder has started
                System.err.println("BackgroundProcessesIT: after the daemon's SIGKILL the orphan was " + (ChildProcesses.isRunning(orphan) ? "running" : "gone"));
                llm.enqueue(Turn.of(Step.text("fresh")));
                assertThat(lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "hello").exit()).isZero();
                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline && ChildProcesses.isRunning(orphan)) Thread.sleep(50);
                assertThat(ChildProcesses.isRunning(orphan)).as("pid " + orphan + " after the next daemon started").isFalse();
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
