package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79, "Unattended answers are decided when they matter", the way a user meets it through the packaged jar, a
 * real daemon and the fake model on loopback:
 * <ul>
 *   <li>{@code lathe run --deny-asks} and {@code lathe run --until} give the same output through the daemon (the
 *       default), in process ({@code --standalone}) and over {@code --attach}: the daemon's path once dropped both
 *       (the client's fast prompt writer left {@code denyAsks} and {@code unattended} out) and hung at the first ask;
 *   <li>a background task that asked while a client watched, and whose last watching client then went, is judged again
 *       ({@code permission.unattended}: denied, the model reads why and goes on) instead of waiting forever; while it
 *       waits, {@code lathe agents} says {@code waiting}, as the session's status does.
 * </ul>
 */
class UnattendedPathsIT {
    /** Longer than any of these runs takes; a run that hangs at an ask fails here instead of holding the suite. */
    private static final long RUN_LIMIT_SECONDS = 60;

    @TempDir Path home;

    private static String config(FakeLlm llm, String permission) {
        return AgentBeds.config(llm, "sk-unattended-79", "\"permission\": " + permission);
    }

    /** A run, waited for at most {@link #RUN_LIMIT_SECONDS}: one that hangs is a failure naming what it printed. */
    private static Lathe.Result run(Lathe lathe, Path dir, String... args) throws Exception {
        var started = lathe.start(dir, args);
        started.endInput();
        if (!started.process().waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            started.process().descendants().forEach(ProcessHandle::destroyForcibly);
            started.process().destroyForcibly();
            throw new AssertionError("lathe " + String.join(" ", args) + " did not finish in " + RUN_LIMIT_SECONDS + " s; stderr: " + started.stderr()
                    + "; stdout: " + started.stdout());
        }
        return new Lathe.Result(started.process().exitValue(), started.stdout(), started.stderr());
    }

    /** The lines a run's user reads that do not change from run to run (no timing, no session id). */
    private static List<String> said(Lathe.Result r) {
        List<String> out = new ArrayList<>(r.stdout().strip().lines().toList());
        r.stderr().lines().filter(l -> l.startsWith("lathe: denied: ") || l.startsWith("lathe: check ")).forEach(out::add);
        out.add("exit " + r.exit());
        return out;
    }

    /** The three ways a {@code lathe run} reaches a server: the daemon it starts, in process, the daemon's URL. */
    private List<Lathe.Result> threeWays(FakeLlm llm, Lathe lathe, Path ws, Runnable script, String... args) throws Exception {
        List<Lathe.Result> results = new ArrayList<>();
        script.run();
        results.add(run(lathe, ws, withDir(ws, args)));
        assertThat(lathe.server()).as("the first run used the daemon").isPresent();
        script.run();
        results.add(run(lathe, ws, withDir(ws, prepend("--standalone", args))));
        script.run();
        results.add(run(lathe, ws, withDir(ws, prepend("--attach", lathe.server().orElseThrow().url(), args))));
        assertThat(llm.pending()).as("each run took its whole script").isZero();
        return results;
    }

    private static String[] withDir(Path ws, String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--dir", ws.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static String[] prepend(String a, String[] rest) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static String[] prepend(String a, String b, String[] rest) {
        List<String> all = new ArrayList<>(List.of(a, b));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void denyAsksGivesTheSameDenialThroughTheDaemonInProcessAndOverAttach() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, config(llm, "{\"bash\": \"ask\"}")).daemonFirst();
            try {
                List<Lathe.Result> results = threeWays(llm, lathe, ws.path(), () -> {
                    llm.enqueue(Turn.of(Step.toolCall("a1", "bash", "{\"command\":\"ls\",\"description\":\"list\"}")).finish("tool_calls"));
                    llm.enqueue(Turn.of(Step.text("I could not list them.")));
                }, "--deny-asks", "list the files");

                for (Lathe.Result r : results) {
                    assertThat(r.exit()).as(r.stderr()).isZero();
                    assertThat(r.stdout()).contains("I could not list them.");
                    assertThat(r.stderr()).contains("lathe: denied: bash ls (nobody could answer its ask: permission.unattended)")
                            .doesNotContain("permission rejected");
                }
                assertThat(said(results.get(1))).as("in process, as through the daemon").isEqualTo(said(results.get(0)));
                assertThat(said(results.get(2))).as("over --attach, as through the daemon").isEqualTo(said(results.get(0)));
                assertThat(llm.requests()).filteredOn(q -> q.toolResult("a1").isPresent()).hasSize(3)
                        .allSatisfy(q -> assertThat(q.toolResult("a1").orElseThrow())
                                .contains("Denied: no one can answer this permission ask in an unattended run (permission.unattended)"));
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void untilGivesTheSameLoopThroughTheDaemonInProcessAndOverAttach() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, config(llm, "{\"bash\": {\"*\": \"ask\", \"test *\": \"allow\"}, \"edit\": \"allow\"}")).daemonFirst();
            try {
                List<Lathe.Result> results = threeWays(llm, lathe, ws.path(), () -> {
                    // each way starts from no done.txt: the first turn's touch is asked (and denied: nobody answers a loop's
                    // asks), the check fails, the second turn writes the file and the check passes
                    try {
                        Files.deleteIfExists(ws.path().resolve("done.txt"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"touch done.txt\",\"description\":\"mark\"}")).finish("tool_calls"));
                    llm.enqueue(Turn.of(Step.text("The touch was denied.")));
                    llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"done.txt\",\"content\":\"ok\\n\"}")).finish("tool_calls"));
                    llm.enqueue(Turn.of(Step.text("Wrote it instead.")));
                }, "--until", "test -f done.txt", "--max-turns", "3", "make done.txt");

                for (Lathe.Result r : results) {
                    assertThat(r.exit()).as(r.stderr()).isZero();
                    assertThat(r.stderr()).contains("lathe: denied: bash touch done.txt (nobody could answer its ask: permission.unattended)")
                            .contains("lathe: check `test -f done.txt` exited 1 (turn 1 of 3)")
                            .contains("lathe: check `test -f done.txt` exited 0 (turn 2 of 3)");
                }
                assertThat(said(results.get(1))).as("in process, as through the daemon").isEqualTo(said(results.get(0)));
                assertThat(said(results.get(2))).as("over --attach, as through the daemon").isEqualTo(said(results.get(0)));
                assertThat(ws.read("done.txt")).isEqualTo("ok\n");
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void aBackgroundTasksAskIsDeniedOnceItsLastWatchingClientGoesAndAgentsSaysWaitingMeanwhile() throws Exception {
        CountDownLatch workerGoes = new CountDownLatch(1);
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Files.createDirectories(ws.path().resolve(".lathe/agents"));
            Files.writeString(ws.path().resolve(".lathe/agents/worker.md"),
                    "---\ndescription: Works\nmode: subagent\nbackground: true\n---\nWORKER-PROMPT\n");
            llm.respondWith(r -> {
                if (r.system().contains("WORKER-PROMPT")) {
                    if (r.toolResult("w1").isEmpty()) {
                        return AgentBeds.open(workerGoes) ? AgentBeds.call("w1", "bash", "{\"command\":\"ls\",\"description\":\"list\"}")
                                : Turn.of(Step.text("late"));
                    }
                    return Turn.of(Step.text("WORKER-DONE"));
                }
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) {
                    return AgentBeds.call("t1", "task", "{\"description\":\"List the files\",\"prompt\":\"list\",\"agent\":\"worker\"}");
                }
                return Turn.of(Step.text("PARENT-DONE"));
            });
            var lathe = new Lathe(home, config(llm, "{\"*\": \"allow\", \"bash\": \"ask\"}")).daemonFirst();
            try {
                // the user starts the task with lathe run, which ends as soon as the parent's turn does
                var started = run(lathe, ws.path(), "run", "--dir", ws.path().toString(), "start the worker");
                assertThat(started.exit()).as(started.stderr()).isZero();
                assertThat(started.stdout()).contains("PARENT-DONE");
                try (HttpLatheClient api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(ws.path().toString()))) {
                    assertThat(api.backgroundTasks()).hasSize(1);
                    SessionId child = api.backgroundTasks().getFirst().session().id();
                    // a user watches the folder (as the web UI or the terminal UI does) when the worker asks: it waits for them
                    AutoCloseable watching = api.subscribe(new EventFilter(Optional.of(ws.path().toString()), Optional.empty()), 0, _ -> { });
                    workerGoes.countDown();
                    AgentBeds.await(() -> api.status(child) instanceof SessionStatus.Waiting, () -> "child status " + api.status(child));

                    // lathe agents and the session's status agree while it waits (both checked, whichever fails)
                    var softly = new SoftAssertions();
                    var agents = lathe.run("agents", "--format", "json");
                    softly.assertThat(agents.exit()).as(agents.stderr()).isZero();
                    softly.assertThat(RunIT.JSON.readTree(agents.stdout()).get(0).path("status").asString()).as("lathe agents while it waits")
                            .isEqualTo("waiting");

                    // the last watching client goes: nobody can answer now, and permission.unattended (deny) decides
                    watching.close();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (llm.requests().stream().noneMatch(q -> q.toolResult("w1").isPresent()) && System.nanoTime() < deadline) Thread.sleep(50);
                    softly.assertThat(llm.requests().stream().flatMap(q -> q.toolResult("w1").stream()).findFirst())
                            .as("the worker's ask, once its last watching client went (status " + api.status(child) + ")")
                            .hasValueSatisfying(result -> assertThat(result)
                                    .contains("Denied: no one can answer this permission ask in an unattended run (permission.unattended)"));
                    softly.assertAll();
                    AgentBeds.await(() -> !api.backgroundTasks().stream().anyMatch(t -> t.session().id().equals(child)),
                            () -> "tasks " + api.backgroundTasks());
                }
            } finally {
                workerGoes.countDown();
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void aBackgroundTaskAtItsSpendLimitStopsThereOnceItsLastWatchingClientGoes() throws Exception {
        // issue 79: the limit's ask never met permission.unattended, so a background child at its limit waited forever
        CountDownLatch workerGoes = new CountDownLatch(1);
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Files.createDirectories(ws.path().resolve(".lathe/agents"));
            Files.writeString(ws.path().resolve(".lathe/agents/worker.md"),
                    "---\ndescription: Works\nmode: subagent\nbackground: true\n---\nWORKER-PROMPT\n");
            llm.respondWith(r -> {
                if (r.system().contains("WORKER-PROMPT")) {
                    if (r.toolResult("w1").isEmpty()) {
                        // its first answer spends past the session's limit: its next request asks
                        return AgentBeds.open(workerGoes) ? AgentBeds.call("w1", "bash", "{\"command\":\"ls\",\"description\":\"list\"}").usage(50000, 10, 0, 0)
                                : Turn.of(Step.text("late"));
                    }
                    return Turn.of(Step.text("WORKER-PAST-ITS-LIMIT"));
                }
                if (r.toolResult("t1").isEmpty()) {
                    return AgentBeds.call("t1", "task", "{\"description\":\"List the files\",\"prompt\":\"list\",\"agent\":\"worker\"}").usage(10, 5, 0, 0);
                }
                return Turn.of(Step.text("PARENT-DONE")).usage(10, 5, 0, 0);
            });
            var lathe = new Lathe(home, AgentBeds.config(llm, "sk-unattended-79", "\"permission\": {\"*\": \"allow\"}, \"limits\": {\"session\": {\"tokens\": 20000}}"))
                    .daemonFirst();
            try {
                var started = run(lathe, ws.path(), "run", "--dir", ws.path().toString(), "start the worker");
                assertThat(started.exit()).as(started.stderr()).isZero();
                try (HttpLatheClient api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(ws.path().toString()))) {
                    SessionId child = api.backgroundTasks().getFirst().session().id();
                    AutoCloseable watching = api.subscribe(new EventFilter(Optional.of(ws.path().toString()), Optional.empty()), 0, _ -> { });
                    workerGoes.countDown();
                    AgentBeds.await(() -> api.status(child) instanceof SessionStatus.Waiting, () -> "child status " + api.status(child));

                    watching.close();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (api.backgroundTasks().stream().anyMatch(t -> t.session().id().equals(child)) && System.nanoTime() < deadline) Thread.sleep(50);
                    assertThat(api.backgroundTasks()).as("the worker stopped at its limit once nobody watched (status " + api.status(child) + ")")
                            .noneMatch(t -> t.session().id().equals(child));
                    var last = api.messages(child).getLast().info();
                    assertThat(last).isInstanceOfSatisfying(dev.lathe.protocol.session.AssistantMessage.class, a -> assertThat(a.error())
                            .hasValueSatisfying(e -> assertThat(e.message()).contains("nobody could answer its ask (permission.unattended)")));
                    assertThat(llm.requests()).as("never raised: the worker sent nothing more").noneMatch(q -> q.toolResult("w1").isPresent());
                }
            } finally {
                workerGoes.countDown();
                lathe.stopDaemon();
            }
        }
    }
}
