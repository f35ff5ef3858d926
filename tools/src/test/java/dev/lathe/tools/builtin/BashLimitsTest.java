package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.ProcessLauncher;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bash's limits: a command that starts too many processes is stopped by Lathe (as root too, where RLIMIT_NPROC does
 * not hold), and a timeout that makes no sense is made usable and said so.
 */
class BashLimitsTest {
    /**
     * A fork bomb with a depth bound, so a broken watchdog cannot take the (shared) machine down: unchecked it reaches
     * about 1,000 processes (2^9 subshells, each ending in a sleep); the first shell waits, as a bomb's often do.
     */
    static final String BOUNDED_BOMB = "b(){ [ $1 -lt 8 ] && { b $(($1+1)) & b $(($1+1)) & }; sleep 37.25; }; b 0";

    @TempDir Path tmp;
    Path project;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final String session = "ses_limits_" + System.nanoTime();
    final BackgroundProcesses background = new BackgroundProcesses();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
    }

    @AfterEach
    void tearDown() {
        background.killAll();
    }

    private ToolResult run(String json, int processLimit) {
        ProcessLauncher limited = new ProcessLauncher() {
            @Override public Process launch(ProcessBuilder command) throws IOException { return command.start(); }

            @Override public int processLimit() { return processLimit; }
        };
        var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session(session).call("call_l").output(tmp.resolve("out"))
                .launcher(limited).background(background).build();
        return executor.execute(ToolNames.of(json), json, ctx);
    }

    /** Which tool a test's JSON is for: bash_output calls carry an id, everything else is bash. */
    private record ToolNames() {
        static String of(String json) { return json.contains("\"id\"") ? "bash_output" : "bash"; }
    }

    private static long bombProcessesLeft() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("37.25")).count();
    }

    @Test
    void aForkBombIsStoppedAtTheProcessLimitAndLeavesNothingBehind() throws Exception {
        long start = System.nanoTime();
        ToolResult r = run("{\"command\":" + json(BOUNDED_BOMB) + ",\"timeout\":60000}", 40);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        assertThat(r.output()).contains("command stopped: it reached the limit of 40 processes at once").contains("sandbox.maxProcesses");
        assertThat(r.metadata()).containsEntry("processLimit", "40");
        awaitNoBomb();
    }

    @Test
    void aForkBombInTheBackgroundIsStoppedToo() throws Exception {
        ToolResult started = run("{\"command\":" + json(BOUNDED_BOMB) + ",\"background\":true}", 40);
        String id = started.metadata().get("backgroundId");
        awaitNoBomb();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String out;
        do {
            out = run("{\"id\":\"" + id + "\"}", 40).output();
        } while (!out.contains("killed") && System.nanoTime() < deadline);
        assertThat(out).contains("killed").contains("limit of 40 processes");
    }

    @Test
    void anOrdinaryCommandWithSomeChildrenRunsUnderTheLimit() {
        ToolResult r = run("{\"command\":\"for i in 1 2 3 4 5; do sleep 0.3 & done; wait; echo all done\"}", 40);
        assertThat(r.output()).contains("all done").contains("exit code: 0").doesNotContain("command stopped");
    }

    @Test
    void absurdTimeoutsAreClampedAndSaidSo() {
        assertThat(run("{\"command\":\"echo hi\",\"timeout\":-5}", 40).output()).contains("hi")
                .contains("timeout -5 is not positive; used the minimum, 1000 ms").contains("exit code: 0");
        assertThat(run("{\"command\":\"echo hi\",\"timeout\":99999999999999999999999}", 40).output())
                .contains("is above the maximum; used the maximum, 600000 ms").contains("exit code: 0");
        assertThat(run("{\"command\":\"echo hi\",\"timeout\":1e12}", 40).output()).contains("used the maximum, 600000 ms");
        assertThat(run("{\"command\":\"echo hi\",\"timeout\":\"soon\"}", 40).output())
                .contains("timeout soon is not a number of milliseconds; used the default, 120000 ms").contains("exit code: 0");
        assertThat(run("{\"command\":\"echo hi\",\"timeout\":2500.4}", 40).output()).doesNotContain("timeout").contains("exit code: 0");
        assertThat(BashTimeout.of(java.util.Optional.of("2500.6")).millis()).isEqualTo(2501);
    }

    private static void awaitNoBomb() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (bombProcessesLeft() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(bombProcessesLeft()).as("processes of the bomb left").isZero();
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
