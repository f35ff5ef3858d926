package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 79: {@code lathe doctor} reported a {@code LATHE_MANAGED_DIR} policy that the running daemon did not apply, and
 * {@code lathe run --allow-all} through that daemon ran what the policy forbids. The daemon's managed folder is fixed
 * when it starts (written to {@code server.json}); doctor reports that one; a shell naming another folder does not use
 * the daemon (neither to run what its own policy forbids, nor to loosen the daemon's), decision 552.
 */
class DaemonManagedPolicyIT {
    @TempDir Path home;
    @TempDir Path strict;
    @TempDir Path loose;

    private static final String TOUCH = "{\"command\":\"touch pwned.txt\",\"description\":\"mark\"}";

    private void strictPolicy() throws Exception {
        Files.writeString(strict.resolve("managed.json"), "{\"permission\": {\"bash\": {\"touch *\": \"deny\"}}}");
    }

    private static List<JsonNode> managedLines(Lathe.Result doctor) {
        return doctor.stdout().lines().map(RunIT.JSON::readTree).filter(n -> n.path("check").asString().equals("managed")).toList();
    }

    @Test
    void aShellNamingAPolicyTheRunningDaemonDoesNotEnforceIsToldSoAndDoesNotRunThere() throws Exception {
        strictPolicy();
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, AgentBeds.config(llm, "sk-managed-79", "\"permission\": {\"bash\": \"allow\"}")).daemonFirst();
            try {
                // the daemon starts from a shell without the variable: it enforces no managed settings
                llm.enqueue(Turn.of(Step.text("warm")));
                var first = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(first.exit()).as(first.stderr()).isZero();
                long daemon = lathe.server().orElseThrow().pid();

                // now a shell names the strict policy: doctor says what the daemon enforces, and that this one is not it
                lathe.withEnv("LATHE_MANAGED_DIR", strict.toString());
                var doctor = lathe.run("doctor", "--dir", ws.path().toString(), "--format", "json");
                List<JsonNode> managed = managedLines(doctor);
                assertThat(managed).as(doctor.stdout()).noneSatisfy(n -> assertThat(n.path("detail").asString()).contains("touch * deny"));
                assertThat(managed).anySatisfy(n -> {
                    assertThat(n.path("status").asString()).isEqualTo("warn");
                    assertThat(n.path("detail").asString()).contains("LATHE_MANAGED_DIR names " + strict).contains("pid " + daemon);
                    assertThat(n.path("fix").asString()).contains("lathe stop");
                });

                // and a run from that shell does not run, through the daemon, what its policy forbids
                llm.enqueue(Turn.of(Step.toolCall("t1", "bash", TOUCH)).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("done")));
                var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "mark it");
                assertThat(ws.path().resolve("pwned.txt")).as(run.stderr()).doesNotExist();
                assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
                assertThat(run.stderr()).contains("LATHE_MANAGED_DIR names " + strict).contains("lathe stop");
                assertThat(lathe.server().orElseThrow().pid()).as("the daemon is left as it was").isEqualTo(daemon);
                llm.reset();
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void aDaemonStartedUnderAPolicyKeepsItAndDoctorReportsItFromAnyShell() throws Exception {
        strictPolicy();
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, AgentBeds.config(llm, "sk-managed-79", "\"permission\": {\"bash\": \"allow\"}")).daemonFirst()
                    .withEnv("LATHE_MANAGED_DIR", strict.toString());
            try {
                // the daemon the client starts enforces the client's folder, and its doctor says so
                llm.enqueue(Turn.of(Step.toolCall("t1", "bash", TOUCH)).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("denied")));
                var run = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "mark it");
                assertThat(run.exit()).as(run.stderr()).isZero();
                assertThat(ws.path().resolve("pwned.txt")).doesNotExist();
                long daemon = lathe.server().orElseThrow().pid();

                // a shell without the variable reads what the daemon enforces, not "no managed settings"
                lathe.withoutEnv("LATHE_MANAGED_DIR");
                var bare = lathe.run("doctor", "--dir", ws.path().toString(), "--format", "json");
                assertThat(managedLines(bare)).singleElement().satisfies(n -> assertThat(n.path("detail").asString()).contains("touch * deny"));
                lathe.withEnv("LATHE_MANAGED_DIR", strict.toString());
                var sameShell = lathe.run("doctor", "--dir", ws.path().toString(), "--format", "json");
                assertThat(managedLines(sameShell)).singleElement().satisfies(n -> assertThat(n.path("detail").asString())
                        .contains(strict.resolve("managed.json").toString()).contains("touch * deny").contains("enforced by the running server, pid " + daemon));

                // a shell pointing the variable at an empty folder cannot loosen the daemon: it is refused, the daemon unchanged
                lathe.withEnv("LATHE_MANAGED_DIR", loose.toString());
                var loosened = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "mark it again");
                assertThat(loosened.exit()).as(loosened.stderr()).isEqualTo(2);
                assertThat(loosened.stderr()).contains("LATHE_MANAGED_DIR names " + loose).contains("enforces the managed settings of " + strict);
                assertThat(ws.path().resolve("pwned.txt")).doesNotExist();
                var looseDoctor = lathe.run("doctor", "--dir", ws.path().toString(), "--format", "json");
                assertThat(managedLines(looseDoctor)).anySatisfy(n -> assertThat(n.path("detail").asString()).contains("touch * deny"));
                assertThat(lathe.server().orElseThrow().pid()).isEqualTo(daemon);
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
