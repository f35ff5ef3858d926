package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN §18 "Unattended work" under the real {@code lathe run}: a Claude Code project's deny and a Lathe deny are
 * denials the model reads (its next request holds {@code Denied by RULE (FILE)}), the run exits 0 and names each denied
 * call on stderr, a script reading {@code --format json} can tell the call was denied; {@code "onDeny": "stop"} keeps the
 * old stop (exit 3); {@code --deny-asks} turns each ask into such a denial (exit 0), while without it an ask is still
 * rejected (exit 3, DESIGN §3).
 */
class DenialsIT {
    private static final String CURL = "{\"command\":\"curl http://127.0.0.1:9/\",\"description\":\"fetch\"}";

    @TempDir Path home;

    /** The user's config: bash runs without asking, so only the project's rules refuse. */
    private static String config(FakeLlm llm, String permission) {
        return Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY).replaceFirst("\\}$", ", \"permission\": " + permission + "}");
    }

    private static void curlThenFinish(FakeLlm llm) {
        llm.enqueue(Turn.of(Step.toolCall("n1", "bash", CURL)).finish("tool_calls"));
        llm.enqueue(Turn.of(Step.text("Could not fetch it: the project denies curl.")));
    }

    @Test
    void aClaudeCodeDenyIsADenialTheModelReadsAndTheRunExits0NamingIt() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            // as Claude Code writes it (`/permissions`, "Add a new rule")
            ws.write(".claude/settings.json", "{\"permissions\": {\"deny\": [\"Bash(curl:*)\"]}}");
            curlThenFinish(llm);
            var lathe = new Lathe(home, config(llm, "{\"bash\": \"allow\"}"));

            var r = lathe.run("run", "--dir", ws.path().toString(), "fetch the page");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("Could not fetch it: the project denies curl.");
            String settings = ws.path().toRealPath().resolve(".claude/settings.json").toString();
            assertThat(llm.requests()).hasSize(2);
            assertThat(llm.requests().get(1).toolResult("n1")).hasValueSatisfying(t -> assertThat(t).contains("Denied by bash: curl").contains(settings));
            assertThat(r.stderr()).containsOnlyOnce("lathe: denied: ").contains("lathe: denied: bash curl http://127.0.0.1:9/ by bash: curl")
                    .contains(settings).doesNotContain("rejected");
        }
    }

    @Test
    void aLatheDenyLikewiseAndAScriptReadingJsonCanTell() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("lathe.json", "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}}}");
            curlThenFinish(llm);
            var lathe = new Lathe(home, config(llm, "{\"bash\": \"allow\"}"));

            var r = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "fetch the page");

            assertThat(r.exit()).as(r.stderr()).isZero();
            String file = ws.path().toRealPath().resolve("lathe.json").toString();
            assertThat(llm.requests().get(1).toolResult("n1")).hasValueSatisfying(t -> assertThat(t).contains("Denied by bash: curl * (" + file + ")"));
            assertThat(r.stderr()).contains("lathe: denied: bash curl http://127.0.0.1:9/ by bash: curl * (" + file + ")");
            JsonNode rejection = r.stdout().lines().map(RunIT.JSON::readTree)
                    .filter(e -> e.path("type").asString().equals("message.part.updated") && e.path("part").path("callId").asString().equals("n1")
                            && e.path("part").path("state").path("status").asString().equals("failed"))
                    .map(e -> e.path("part").path("state").path("rejection")).findFirst().orElseThrow();
            assertThat(rejection.path("by").asString()).isEqualTo("rule");
            assertThat(rejection.path("rule").asString()).isEqualTo("bash: curl *");
            assertThat(rejection.path("source").asString()).isEqualTo(file);
        }
    }

    @Test
    void onDenyStopKeepsTheOldStop() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("lathe.json", "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}, \"onDeny\": \"stop\"}}");
            curlThenFinish(llm);
            var lathe = new Lathe(home, config(llm, "{\"bash\": \"allow\"}"));

            var r = lathe.run("run", "--dir", ws.path().toString(), "fetch the page");

            assertThat(r.exit()).as(r.stderr()).isEqualTo(3);
            assertThat(llm.requests()).hasSize(1);
            assertThat(r.stderr()).contains("lathe: denied: bash curl http://127.0.0.1:9/ by bash: curl *");
        }
    }

    @Test
    void aGoalLoopsTurnsAreUnattendedTheirAsksDeniedAndTheLoopGoesOn() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, config(llm, "{\"bash\": {\"*\": \"ask\", \"test *\": \"allow\"}, \"edit\": \"allow\"}"));
            llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"touch done.txt\",\"description\":\"mark\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("The touch was denied.")));
            llm.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"done.txt\",\"content\":\"ok\\n\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Wrote it instead.")));

            var r = lathe.run("run", "--dir", ws.path().toString(), "--until", "test -f done.txt", "--max-turns", "3", "make done.txt");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(llm.requests().get(1).toolResult("b1")).hasValueSatisfying(t -> assertThat(t)
                    .contains("Denied: no one can answer this permission ask in an unattended run (permission.unattended)"));
            assertThat(r.stderr()).contains("lathe: denied: bash touch done.txt (nobody could answer its ask: permission.unattended)")
                    .doesNotContain("permission rejected");
            assertThat(ws.read("done.txt")).isEqualTo("ok\n");
        }
    }

    @Test
    void denyAsksTurnsEachAskIntoADenialTheModelReads() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            var lathe = new Lathe(home, config(llm, "{\"bash\": \"ask\"}"));
            // without it, lathe run's own ask is rejected and stops the turn (DESIGN §3)
            llm.enqueue(Turn.of(Step.toolCall("a1", "bash", "{\"command\":\"ls\",\"description\":\"list\"}")).finish("tool_calls"));
            var asked = lathe.run("run", "--dir", ws.path().toString(), "list the files");
            assertThat(asked.exit()).as(asked.stderr()).isEqualTo(3);
            assertThat(asked.stderr()).contains("permission rejected: bash ls");

            llm.enqueue(Turn.of(Step.toolCall("a2", "bash", "{\"command\":\"ls\",\"description\":\"list\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("I could not list them.")));
            var denied = lathe.run("run", "--dir", ws.path().toString(), "--deny-asks", "list the files");

            assertThat(denied.exit()).as(denied.stderr()).isZero();
            assertThat(denied.stdout()).contains("I could not list them.");
            assertThat(llm.requests().getLast().toolResult("a2")).hasValueSatisfying(t -> assertThat(t)
                    .contains("Denied: no one can answer this permission ask in an unattended run (permission.unattended)"));
            assertThat(denied.stderr()).contains("lathe: denied: bash ls (nobody could answer its ask: permission.unattended)")
                    .doesNotContain("permission rejected");

            var both = lathe.run("run", "--dir", ws.path().toString(), "--deny-asks", "--allow-all", "list the files");
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.stderr()).contains("either --allow-all").contains("or --deny-asks");
        }
    }
}
