package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-approval on the real jar (DESIGN §31, issue 80): {@code lathe run --auto} lets the classifier the user's config
 * names answer an ask; {@code lathe permissions auto-log} lists the decision with its reason (the classifier's and the
 * model's words shown, never sent raw to the terminal); {@code lathe stats} counts the classifier's tokens;
 * {@code lathe debug permission --auto} says what the rules, the hardDeny list and the classifier each do.
 */
class AutoApprovalIT {
    @TempDir java.nio.file.Path home;

    private static String config(FakeLlm llm, FakeLlm judge) {
        return "{\"model\": \"fake/m\", \"permission\": {\"auto\": {\"model\": \"judge/j\"}}, \"provider\": {"
                + "\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl() + "\", \"apiKey\": \"k\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4096}}},"
                + "\"judge\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl() + "\", \"apiKey\": \"k\", \"models\": {\"j\": {\"context\": 100000, \"output\": 4096}}}}}";
    }

    @Test
    void runAutoWithoutAClassifierInTheConfigSaysSoOnceNamingTheKey() throws Exception {
        try (var llm = FakeLlm.start(); var judge = FakeLlm.start(); var ws = RunIT.project()) {
            llm.respondWith(r -> Turn.of(Step.text("Hello.")));
            var lathe = new Lathe(home, config(llm, judge).replace("\"permission\": {\"auto\": {\"model\": \"judge/j\"}}, ", ""));
            var run = lathe.run("run", "--dir", ws.path().toString(), "--auto", "say hello");
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Hello.");
            assertThat(run.stderr().lines().filter(l -> l.contains("auto-approval is off")).toList()).singleElement().asString()
                    .startsWith("lathe: ").contains("permission.auto");
            assertThat(judge.requests()).isEmpty();
        }
    }

    @Test
    void runAutoLetsTheClassifierAnswerAndTheLogStatsAndDebugShowIt() throws Exception {
        try (var llm = FakeLlm.start(); var judge = FakeLlm.start(); var ws = RunIT.project()) {
            String command = "touch made.txt";
            llm.respondWith(r -> r.toolResult("b1").isEmpty()
                    ? Turn.of(Step.toolCall("b1", "bash", "{\"command\": \"" + command + "\", \"description\": \"make it\"}")).finish("tool_calls")
                    : Turn.of(Step.text("Made it.")));
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for the file\\u001b[2J\"}")).usage(300, 20, 0, 0));
            var lathe = new Lathe(home, config(llm, judge));

            // the classifier's reason carries an escape sequence: the log must never send it to the terminal
            // without --auto the ask is lathe run's to reject: the turn stops (exit 3) and nothing is made
            var asked = lathe.run("run", "--dir", ws.path().toString(), "make the file");
            assertThat(asked.exit()).as(asked.stderr()).isEqualTo(3);
            assertThat(judge.requests()).isEmpty();
            assertThat(ws.path().resolve("made.txt")).doesNotExist();

            var run = lathe.run("run", "--dir", ws.path().toString(), "--auto", "make the file");
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stderr()).doesNotContain("auto-approval is off");
            assertThat(judge.requests()).as(run.stdout() + run.stderr()).hasSize(1);
            assertThat(ws.path().resolve("made.txt")).exists();
            assertThat(judge.requests()).hasSize(1);

            var log = lathe.run("permissions", "auto-log", "--dir", ws.path().toString());
            assertThat(log.exit()).as(log.stderr()).isZero();
            assertThat(log.stdout()).contains("allow bash `touch made.txt").contains("the user asked for the file").contains("judge/j, 320 tokens")
                    .doesNotContain("\u001b");

            var stats = lathe.run("stats", "--dir", ws.path().toString(), "--format", "json");
            assertThat(stats.exit()).as(stats.stderr()).isZero();
            // the sessions' own three requests (100 each, as the fake reports: one in the run that stopped at its ask, two in
            // the run that went on) and the classifier's 300
            assertThat(DebugPermissionIT.JSON.readTree(stats.stdout()).path("usage").path("input").asLong()).isEqualTo(3 * 100 + 300);
            // GET /stats carries the classifier's share apart, as the text's Auto line: decisions, tokens (300 in + 20 out), cost
            var auto = DebugPermissionIT.JSON.readTree(stats.stdout()).path("autoApproval");
            assertThat(auto.path("decisions").asLong()).as(stats.stdout()).isEqualTo(1);
            assertThat(auto.path("tokens").asLong()).isEqualTo(320);
            assertThat(auto.has("cost")).isTrue();

            var statsText = lathe.run("stats", "--dir", ws.path().toString());
            assertThat(statsText.stdout()).contains("Auto      1 classifier decisions · 320 tokens");

            var hard = lathe.run("debug", "permission", "--dir", ws.path().toString(), "--auto", "git push --force origin main");
            assertThat(hard.exit()).as(hard.stderr()).isZero();
            assertThat(hard.stdout()).contains("hardDeny:   deny — destructive git").contains("classifier: not asked: denied before it");
            var judged = lathe.run("debug", "permission", "--dir", ws.path().toString(), "--auto", "touch x && cat /etc/hostname");
            assertThat(judged.stdout()).contains("rules:      ask").contains("hardDeny:   nothing on the list")
                    .contains("classifier: asks judge/j").contains("path outside the project: /etc/hostname");
        }
    }

    @Test
    void theManagedOffSwitchHoldsOverTheUsersClassifierDefaultModeAndAutoAndDoctorSaysSo() throws Exception {
        try (var llm = FakeLlm.start(); var judge = FakeLlm.start(); var ws = RunIT.project()) {
            llm.respondWith(r -> r.toolResult("b1").isEmpty()
                    ? Turn.of(Step.toolCall("b1", "bash", "{\"command\": \"touch made.txt\", \"description\": \"make it\"}")).finish("tool_calls")
                    : Turn.of(Step.text("Done.")));
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"fine\"}")));
            var managed = java.nio.file.Files.createDirectories(home.resolve("etc-lathe"));
            java.nio.file.Files.writeString(managed.resolve("managed.json"), "{\"disableAutoApproval\": true}");
            // the user's config names a classifier and starts every session with it: the administrator's switch still wins
            String user = config(llm, judge).replaceFirst("^\\{", "{\"defaultMode\": \"auto\", ");
            var lathe = new Lathe(home, user).withEnv("LATHE_MANAGED_DIR", managed.toString());

            var run = lathe.run("run", "--dir", ws.path().toString(), "--auto", "make the file");
            assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(3);
            assertThat(run.stderr()).contains("auto-approval is off: the managed setting disableAutoApproval (" + managed.resolve("managed.json"));
            assertThat(judge.requests()).isEmpty();
            assertThat(ws.path().resolve("made.txt")).doesNotExist();

            var doctor = lathe.run("doctor", "--dir", ws.path().toString());
            assertThat(doctor.stdout().lines().filter(l -> l.contains("auto-approval")).toList()).singleElement().asString()
                    .contains("managed setting disableAutoApproval").contains("cannot turn it on");
            assertThat(doctor.stdout()).contains("enforces disableAutoApproval");

            // the user cannot set the switch back: only managed files set it
            var own = new Lathe(home, user.replaceFirst("^\\{", "{\"disableAutoApproval\": false, ")).withEnv("LATHE_MANAGED_DIR", managed.toString());
            var refused = own.run("run", "--dir", ws.path().toString(), "--auto", "make the file");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.stderr()).contains("disableAutoApproval: a managed setting");
            assertThat(judge.requests()).isEmpty();
        }
    }

    @Test
    void doctorNamesTheClassifierWhenAutoApprovalIsConfigured() throws Exception {
        try (var llm = FakeLlm.start(); var judge = FakeLlm.start(); var ws = RunIT.project()) {
            var doctor = new Lathe(home, config(llm, judge)).run("doctor", "--dir", ws.path().toString());
            assertThat(doctor.stdout().lines().filter(l -> l.contains("auto-approval")).toList()).singleElement().asString()
                    .contains("on with judge/j").contains("when asked");
        }
    }
}
