package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe stop} against servers the user started, on the packaged jar. */
class StopIT {
    @TempDir Path home;

    /**
     * Issue 82: a {@code lathe serve} started by hand under a parent that never collects its exit (a supervisor, a
     * script's {@code subprocess.Popen}) stays a zombie once stopped; {@code lathe stop} waited 20 s for it and said the
     * server "does not exit", with nothing running.
     */
    @Test
    void aServeStartedByHandUnderAParentThatNeverReapsItStopsAtOnce() throws Exception {
        var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", RunIT.KEY));
        ProcessBuilder serve = lathe.command("serve");
        List<String> cmd = new ArrayList<>(List.of("python3", "-c",
                "import subprocess, sys, time\nsubprocess.Popen(sys.argv[1:])\ntime.sleep(600)\n"));
        cmd.addAll(serve.command());
        Process parent = serve.command(cmd).redirectOutput(home.resolve("serve.out").toFile()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lathe.server().isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
            var found = lathe.server();
            if (found.isEmpty()) throw new AssertionError("no server: " + Files.readString(home.resolve("serve.out")));
            long pid = found.get().pid();
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            assertThat(server.parent().map(ProcessHandle::pid)).as("the server is python's child, not this JVM's").contains(parent.pid());

            long start = System.nanoTime();
            var stop = lathe.run("stop");

            assertThat(stop.exit()).as(stop.stderr()).isZero();
            assertThat(stop.stderr()).contains("lathe: stopped the background server (pid " + pid + ")").doesNotContain("does not exit", "killed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
            // proved ended: nothing runs under that pid any more but the entry its parent never collected
            assertThat(Files.readString(Path.of("/proc/" + pid + "/stat"))).matches("(?s)\\d+ \\(.*\\) Z .*");
            assertThat(lathe.serverJson()).doesNotExist();
            var again = lathe.run("stop");
            assertThat(again.stderr()).contains("lathe: no background server is running: nothing to stop");
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
