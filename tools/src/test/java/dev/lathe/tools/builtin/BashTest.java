package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Cancellation;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolProgress;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash tool with real processes: groups die on abort, workdir, live output, background commands. */
class BashTest {
    @TempDir Path tmp;
    Path project;
    final RecordingPermissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final String session = "ses_bash_" + System.nanoTime();
    final BackgroundProcesses background = new BackgroundProcesses();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
    }

    @AfterEach
    void tearDown() {
        background.killAll();
    }

    ToolContext ctx(Cancellation cancel, ToolProgress progress) {
        return ToolContext.builder(project, permissions).session(session).call("call_b").cancellation(cancel).progress(progress)
                .output(tmp.resolve("out")).background(background).build();
    }

    ToolResult run(String tool, String json) { return executor.execute(tool, json, ctx(new Cancellation(), ToolProgress.NONE)); }

    @Test
    void abortKillsTheGrandchildrenToo() throws Exception {
        var cancel = new Cancellation();
        Path pidFile = project.resolve("grandchild.pid");
        Thread.ofVirtual().start(() -> {
            try {
                while (!Files.exists(pidFile) || Files.size(pidFile) == 0) Thread.sleep(20);
                Thread.sleep(100);
            } catch (Exception e) {
                return;
            }
            cancel.cancel();
        });
        // a subshell that forks a sleep: the sleep is a grandchild of the setsid'ed bash
        assertThatThrownBy(() -> executor.execute("bash", "{\"command\":\"(sleep 300 & echo $! > grandchild.pid; wait); sleep 300\"}",
                ctx(cancel, ToolProgress.NONE))).isInstanceOf(ToolFailure.class).hasMessageContaining("aborted");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(pid)).as("grandchild " + pid).isFalse();
    }

    @Test
    void timeoutKillsTheGrandchildrenToo() throws Exception {
        ToolResult r = run("bash", "{\"command\":\"(sleep 300 & echo grandchild=$!; wait); sleep 300\",\"timeout\":700}");
        assertThat(r.output()).contains("timed out after 700 ms");
        assertThat(r.metadata()).containsEntry("timedOut", "true");
        long pid = Long.parseLong(r.output().lines().filter(l -> l.startsWith("grandchild=")).findFirst().orElseThrow().substring(11).strip());
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(pid)).as("grandchild " + pid).isFalse();
    }

    @Test
    void aChildLeftBehindByAFinishedCommandIsKilled() throws Exception {
        ToolResult r = run("bash", "{\"command\":\"sleep 300 >/dev/null 2>&1 & echo left=$!\"}");
        long pid = Long.parseLong(r.output().lines().filter(l -> l.startsWith("left=")).findFirst().orElseThrow().substring(5).strip());
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(pid)).isFalse();
    }

    @Test
    void everythingPrintedBeforeTheExitIsKept() {
        // a slow receiver of live output holds the reader up, so the command exits long before its pipe is drained;
        // cleaning up the group must not close the pipe under the reader
        ToolProgress slow = (title, output) -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ToolResult r = executor.execute("bash", "{\"command\":\"echo start; sleep 0.2; seq 1 1000; printf 'the end'\"}", ctx(new Cancellation(), slow));
        assertThat(r.output()).startsWith("start\n1\n").endsWith("\n999\n1000\nthe end\nexit code: 0");
    }

    @Test
    void workdirMustExistAndOutsideTheProjectAsksExternalDirectory() throws Exception {
        Files.createDirectories(project.resolve("sub"));
        assertThat(run("bash", "{\"command\":\"pwd\",\"workdir\":\"sub\"}").output()).startsWith(project.resolve("sub") + "\n");
        assertThat(permissions.checks).extracting(c -> c.permission()).containsExactly("bash");
        assertThatThrownBy(() -> run("bash", "{\"command\":\"pwd\",\"workdir\":\"nope\"}")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("does not exist");
        Path outside = Files.createDirectories(tmp.resolve("elsewhere")).toRealPath();
        assertThat(run("bash", "{\"command\":\"pwd\",\"workdir\":\"" + outside + "\"}").output()).startsWith(outside + "\n");
        assertThat(permissions.checks).extracting(c -> c.permission()).contains("external_directory");
    }

    @Test
    void liveOutputArrivesBeforeTheCommandEnds() {
        List<String> updates = new CopyOnWriteArrayList<>();
        var ended = new java.util.concurrent.atomic.AtomicLong();
        List<Long> at = new CopyOnWriteArrayList<>();
        ToolProgress progress = (title, output) -> {
            updates.add(output);
            at.add(System.nanoTime());
        };
        ToolResult r = executor.execute("bash", "{\"command\":\"echo first; sleep 1; echo second\"}", ctx(new Cancellation(), progress));
        ended.set(System.nanoTime());
        assertThat(r.output()).contains("first\nsecond\n");
        assertThat(updates).isNotEmpty();
        assertThat(updates.getFirst()).contains("first").doesNotContain("second");
        assertThat(ended.get() - at.getFirst()).isGreaterThan(500_000_000L);
    }

    @Test
    void backgroundStartReadAndKill() throws Exception {
        // a start that waited for the command would take until the default timeout (two minutes) killed it, the command
        // itself lasting five: "at once" is far below that on any machine, however busy (a bound of 2 s could be
        // reached by load alone)
        long t0 = System.nanoTime();
        ToolResult started = run("bash", "{\"command\":\"echo ready; echo noise; sleep 0.3; echo later; sleep 300 & wait\",\"background\":true}");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("started without waiting for the command")
                .isLessThan(java.time.Duration.ofMillis(BashTimeout.DEFAULT_MS).dividedBy(2));
        String id = started.metadata().get("backgroundId");
        assertThat(id).isNotBlank();
        long pid = Long.parseLong(started.metadata().get("pid"));

        Thread.sleep(150);
        String first = run("bash_output", "{\"id\":\"" + id + "\",\"filter\":\"^rea\"}").output();
        assertThat(first).contains("status: running").contains("ready").doesNotContain("noise");
        Thread.sleep(600);
        String second = run("bash_output", "{\"id\":\"" + id + "\"}").output();
        assertThat(second).contains("later").doesNotContain("ready").doesNotContain("noise");
        assertThat(run("bash_output", "{\"id\":\"" + id + "\"}").output()).contains("(no new output)");

        // another session cannot see it
        assertThatThrownBy(() -> executor.execute("bash_output", "{\"id\":\"" + id + "\"}",
                ToolContext.builder(project, permissions).session("ses_other").call("c").output(tmp).background(background).build()))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("No background command");

        long child = ProcessHandle.of(pid).orElseThrow().descendants().findFirst().orElseThrow().pid();
        assertThat(run("bash_kill", "{\"id\":\"" + id + "\"}").output()).contains("Killed");
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(pid)).isFalse();
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(child)).as("the sleep it started").isFalse();
        String after = run("bash_output", "{\"id\":\"" + id + "\"}").output();
        assertThat(after).contains("status: killed").contains("exit code:");
    }

    @Test
    void aBackgroundCommandThatEndsReportsItsExitCode() throws Exception {
        String id = run("bash", "{\"command\":\"echo done; exit 7\",\"background\":true}").metadata().get("backgroundId");
        for (int i = 0; i < 50 && run("bash_output", "{\"id\":\"" + id + "\",\"filter\":\"^$x\"}").output().contains("running"); i++) Thread.sleep(50);
        String out = run("bash_output", "{\"id\":\"" + id + "\"}").output();
        assertThat(out).contains("status: exited").contains("exit code: 7");
    }

    @Test
    void killingASessionsCommandsStopsThemAndLeavesOthers() throws Exception {
        long pid = Long.parseLong(run("bash", "{\"command\":\"sleep 300\",\"background\":true}").metadata().get("pid"));
        var other = ToolContext.builder(project, permissions).session("ses_other").call("c").output(tmp).background(background).build();
        long otherPid = Long.parseLong(executor.execute("bash", "{\"command\":\"sleep 300\",\"background\":true}", other).metadata().get("pid"));
        background.killSession(session);
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(pid)).isFalse();
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(otherPid)).as("another session's command").isTrue();
        background.killAll();
        Thread.sleep(200);
        assertThat(dev.lathe.testkit.ChildProcesses.isRunning(otherPid)).isFalse();
    }

    @Test
    void withoutBackgroundCommandsACallSaysSoAndStartsNothing() {
        var none = ToolContext.builder(project, permissions).session(session).call("c").output(tmp).build();
        assertThatThrownBy(() -> executor.execute("bash", "{\"command\":\"sleep 300\",\"background\":true}", none))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("background commands are not available here");
        assertThat(background.of(session)).isEmpty();
    }
}
