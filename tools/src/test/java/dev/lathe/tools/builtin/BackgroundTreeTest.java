package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.testkit.ChildProcesses;
import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background commands as whole trees (DESIGN §32): what a command backgrounds, nohups, double-forks or setsids is ended
 * with it (checked by pid), at its limit too; its monitor sends the matching lines only, bounded, and survives a
 * catastrophic pattern and an endless flood; its input is a pipe a person can write to.
 */
class BackgroundTreeTest {
    @TempDir Path tmp;
    Path project;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final String session = "ses_tree_" + System.nanoTime();
    final BackgroundProcesses background = new BackgroundProcesses();
    final List<String> told = new CopyOnWriteArrayList<>();
    final List<BackgroundCommands.Change> changes = new CopyOnWriteArrayList<>();
    volatile BackgroundCommands.Limits limits = BackgroundCommands.Limits.DEFAULT;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        background.attach(new BackgroundCommands.Host() {
            @Override public BackgroundCommands.Limits limits(String sessionId) { return limits; }

            @Override public boolean followed(String sessionId) { return false; }

            @Override public void tell(String sessionId, String id, String text) { told.add(sessionId + " " + id + ": " + text); }

            @Override public void changed(BackgroundCommands.Change change) { changes.add(change); }
        });
    }

    @AfterEach
    void tearDown() {
        background.killAll();
    }

    ToolResult run(String json) {
        var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session(session).call("c").output(tmp.resolve("out"))
                .background(background).build();
        return executor.execute("bash", json, ctx);
    }

    /** A sleep of a length no other test uses, so its command line finds it. */
    static String sleeper() {
        return "sleep " + (10000 + ThreadLocalRandom.current().nextInt(1, 80000));
    }

    /** Starts a command that leaves a process behind in each way a command escapes its shell; their pids. */
    List<Long> startEscapers(String extraJson) throws Exception {
        String amp = sleeper(), nohup = sleeper(), dbl = sleeper(), sid = sleeper();
        String command = amp + " & nohup " + nohup + " >/dev/null 2>&1 & ( (" + dbl + " &) & ) ; setsid " + sid + " >/dev/null 2>&1 < /dev/null & echo started; wait";
        run("{\"command\":\"" + command + "\",\"background\":true" + extraJson + "}");
        return List.of(ChildProcesses.awaitAnywhere(amp), ChildProcesses.awaitAnywhere(nohup), ChildProcesses.awaitAnywhere(dbl),
                ChildProcesses.awaitAnywhere(sid));
    }

    static void assertGone(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(ChildProcesses::isRunning)) Thread.sleep(20);
        for (long pid : pids) assertThat(ChildProcesses.isRunning(pid)).as("pid " + pid + " still runs").isFalse();
    }

    @Test
    void killEndsWhatTheCommandBackgroundedNohuppedDoubleForkedAndSetsidded() throws Exception {
        List<Long> pids = startEscapers("");
        // the shell's own children have left it (the double fork and setsid ones are re-parented): still tracked
        var job = background.of(session).getFirst();
        assertThat(job.state()).isEqualTo(BackgroundCommands.State.RUNNING);
        job.kill();
        assertGone(pids);
        assertThat(job.state()).isEqualTo(BackgroundCommands.State.KILLED);
    }

    @Test
    void withoutACgroupTheSessionTheTokenAndTheDescendantsStillHoldTheTree() throws Exception {
        try (AutoCloseable _ = ProcessCap.withoutCgroups()) {
            killEndsWhatTheCommandBackgroundedNohuppedDoubleForkedAndSetsidded();
            background.killAll();
            aCommandWhoseShellExitedStillRunsWhileWhatItLeftRuns();
        }
    }

    @Test
    void aCommandWhoseShellExitedStillRunsWhileWhatItLeftRuns() throws Exception {
        String left = sleeper();
        String id = run("{\"command\":\"setsid " + left + " >/dev/null 2>&1 < /dev/null & exit 0\",\"background\":true}").metadata().get("backgroundId");
        long pid = ChildProcesses.awaitAnywhere(left);
        var job = background.find(session, id).orElseThrow();
        Thread.sleep(1500);
        assertThat(job.state()).as("the shell exited, its setsid'd child runs").isEqualTo(BackgroundCommands.State.RUNNING);
        background.killSession(session);
        assertGone(List.of(pid));
        assertThat(background.of(session)).isEmpty();
    }

    @Test
    void atItsLimitTheWholeTreeIsEndedAndTheModelTold() throws Exception {
        List<Long> pids = startEscapers(",\"timeoutSeconds\":2");
        var job = background.of(session).getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && job.state() == BackgroundCommands.State.RUNNING) Thread.sleep(50);
        assertGone(pids);
        assertThat(job.state()).isEqualTo(BackgroundCommands.State.TIMED_OUT);
        awaitTold("reached its time limit of 2 s");
        assertThat(changes).anyMatch(c -> c instanceof BackgroundCommands.Change.Exited);
    }

    @Test
    void theDefaultLimitAppliesWithoutTimeoutSecondsAndNeverPassesTheMost() throws Exception {
        limits = new BackgroundCommands.Limits(Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 40, 4096);
        String s = sleeper();
        run("{\"command\":\"" + s + "\",\"background\":true}");
        long pid = ChildProcesses.awaitAnywhere(s);
        awaitTold("reached its time limit of 1 s");
        assertGone(List.of(pid));
        String t = sleeper();
        run("{\"command\":\"" + t + "\",\"background\":true,\"timeoutSeconds\":3600}");
        long other = ChildProcesses.awaitAnywhere(t);
        awaitTold("reached its time limit of 2 s");
        assertGone(List.of(other));
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        String s = sleeper();
        run("{\"command\":\"trap '' TERM; " + s + " & trap '' TERM; wait\",\"background\":true}");
        long pid = ChildProcesses.awaitAnywhere(s);
        long start = System.nanoTime();
        background.of(session).getFirst().kill();
        assertGone(List.of(pid));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void onlyTheMatchingLinesReachTheModel() throws Exception {
        run("{\"command\":\"echo compiling; sleep 0.3; echo 'Server listening on :3000'; echo request served; sleep 0.3;"
                + " echo 'error: cannot read x'; echo done\",\"background\":true,\"monitor\":\"error|listening\"}");
        awaitTold("exited with code 0");
        String all = String.join("\n", told.stream().filter(t -> !t.contains("exited with code")).toList());
        assertThat(all).contains("Server listening on :3000", "error: cannot read x").doesNotContain("compiling", "request served", "done\n");
        // coalesced: the two matches 300 ms apart arrive in separate deliveries, each as it came
        assertThat(told.stream().filter(t -> t.contains("listening")).findFirst().orElseThrow()).doesNotContain("error: cannot");
    }

    @Test
    void anEndlessFloodIsBoundedPerDeliveryAndCounted() throws Exception {
        limits = new BackgroundCommands.Limits(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(2), 5, 1024);
        run("{\"command\":\"yes 'error flood line'\",\"background\":true,\"monitor\":\"error\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && told.stream().noneMatch(t -> t.contains("more matching lines not shown"))) Thread.sleep(50);
        Thread.sleep(600);
        background.killSession(session);
        assertThat(told).isNotEmpty();
        for (String t : told) {
            if (!t.contains("error flood line")) continue;
            assertThat(t.lines().filter(l -> l.contains("error flood line")).count()).isLessThanOrEqualTo(5);
            assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024 + 300);
        }
        assertThat(told).anyMatch(t -> t.contains("more matching lines not shown"));
    }

    @Test
    void aCatastrophicPatternStopsTheMonitorNotTheServer() throws Exception {
        // java.util.regex memoizes the classic (a+)+$; a repeated group of .* still backtracks exponentially
        run("{\"command\":\"printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\\\\n'; sleep 0.5; echo after\",\"background\":true,\"monitor\":\"(.*a){25}x\"}");
        awaitTold("monitor pattern took too long");
        var job = background.of(session).getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && job.state() == BackgroundCommands.State.RUNNING) Thread.sleep(50);
        assertThat(job.readNew().text()).contains("after");
    }

    @Test
    void aHugeOrInvalidPatternIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> run("{\"command\":\"echo hi\",\"background\":true,\"monitor\":\"" + "a".repeat(501) + "\"}"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("at most 500");
        assertThatThrownBy(() -> run("{\"command\":\"echo hi\",\"background\":true,\"monitor\":\"(unclosed\"}"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> run("{\"command\":\"echo hi\",\"monitor\":\"x\"}"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("background");
        assertThat(background.of(session)).isEmpty();
    }

    @Test
    void whatIsWrittenToItsInputReachesTheProcess() throws Exception {
        String id = run("{\"command\":\"while read -r l; do echo got:$l; done\",\"background\":true}").metadata().get("backgroundId");
        var job = background.find(session, id).orElseThrow();
        job.write("hello\n".getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && !job.readFrom(0).text().contains("got:hello")) Thread.sleep(20);
        assertThat(job.readFrom(0).text()).contains("got:hello");
        // a person's read consumes nothing: the model still reads it all
        assertThat(job.readNew().text()).contains("got:hello");
        assertThat(job.lastLines(5)).containsExactly("got:hello");
        job.kill();
        assertThatThrownBy(() -> job.write("x\n".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("has ended");
    }

    void awaitTold(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && told.stream().noneMatch(t -> t.contains(text))) Thread.sleep(50);
        assertThat(told).as("told the model").anyMatch(t -> t.contains(text));
    }
}
