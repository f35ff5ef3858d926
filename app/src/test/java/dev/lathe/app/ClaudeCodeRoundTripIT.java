package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 82, decision 640: a Lathe session exported to the real Claude Code (testkit/npm), continued there with
 * {@code claude --resume}, and imported back with {@code lathe import --from claude-code} is the same session: no
 * second one, the turn made in Claude Code appended, each answer under the model that really wrote it (Lathe's own
 * under {@code fake/fake-model}, never an invented {@code anthropic/fake-model}), marked imported. A plain Claude Code
 * session in the same folder still imports as a session of its own.
 */
class ClaudeCodeRoundTripIT {
    private static final String PROMPT = "LATHE-PROMPT change the readme";
    private static final String LATER = "CLAUDE-LATER what did you do?";

    @TempDir Path home;

    private static Turn answer(RecordedRequest r) {
        String body = r.body();
        if (body.contains(LATER)) return Turn.of(Step.text("CLAUDE-ANSWER I changed the readme earlier."));
        if (body.contains("call_edit1")) return Turn.of(Step.text("The readme now says an edited project."));
        if (body.contains(PROMPT)) {
            return Turn.of(Step.toolCall("call_edit1", "edit", "{\"path\":\"README.md\",\"oldString\":\"a project\",\"newString\":\"an edited project\"}"));
        }
        return Turn.of(Step.text("ok"));
    }

    @Test
    void aSessionContinuedInClaudeCodeComesBackAsItselfWithTheNewTurn() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.respondWith(ClaudeCodeRoundTripIT::answer);
            ws.write("README.md", "a project\n").initGitRepo();
            Path project = ws.path().toRealPath();
            Path claudeHome = Files.createDirectories(home.resolve("claude-home"));
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-roundtrip"))
                    .withEnv("CLAUDE_CONFIG_DIR", claudeHome.resolve(".claude").toString());
            Files.createDirectories(lathe.home());
            var run = lathe.run("run", "--dir", project.toString(), "--allow-all", "--format", "json", PROMPT);
            assertThat(run.exit()).as(run.stderr()).isZero();
            String session = SessionsIT.JSON.readTree(run.stdout().lines().toList().getLast()).path("sessionId").asString();
            int latheMessages = messages(lathe, session).size();

            var export = lathe.run("export", session, "--to", "claude-code");
            assertThat(export.exit()).as(export.stderr()).isZero();
            String uuid = export.stdout().lines().findFirst().orElseThrow();

            // imported back before anything was added there: nothing changes, nothing is marked
            var early = lathe.run("import", "--from", "claude-code", "--dir", project.toString(), "--all");
            assertThat(early.exit()).as(early.stderr()).isZero();
            assertThat(early.stdout().strip()).startsWith(session + "\tunchanged\t" + uuid);
            assertThat(sessions(lathe, project)).hasSize(1);
            assertThat(sessions(lathe, project).getFirst().has("importedFrom")).isFalse();

            var resumed = HarnessExportIT.claude(claudeHome, project, llm, "-p", LATER, "--resume", uuid);
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("CLAUDE-ANSWER");

            var back = lathe.run("import", "--from", "claude-code", "--dir", project.toString(), "--all");
            assertThat(back.exit()).as(back.stderr()).isZero();
            assertThat(back.stdout().strip()).startsWith(session + "\tupdated\t" + uuid);
            List<JsonNode> listed = sessions(lathe, project);
            assertThat(listed).hasSize(1);
            JsonNode one = listed.getFirst();
            assertThat(one.path("id").asString()).isEqualTo(session);
            assertThat(one.path("importedFrom").asString()).isEqualTo("claude-code");
            assertThat(one.path("model").asString()).isEqualTo("fake/fake-model");

            List<JsonNode> messages = messages(lathe, session);
            assertThat(messages).hasSize(latheMessages + 2);
            String all = messages.toString();
            assertThat(all).containsOnlyOnce(PROMPT).contains(LATER).contains("CLAUDE-ANSWER").doesNotContain("anthropic/fake-model");
            List<String> models = new ArrayList<>();
            for (JsonNode m : messages) if (m.path("info").path("role").asString().equals("assistant")) models.add(m.path("info").path("model").asString());
            assertThat(models.getFirst()).isEqualTo("fake/fake-model");
            assertThat(models.getLast()).isEqualTo("anthropic/claude-sonnet-4-5");

            // again: the same session, nothing added
            var again = lathe.run("import", "--from", "claude-code", "--dir", project.toString(), "--all");
            assertThat(again.stdout().strip()).startsWith(session + "\tunchanged\t" + uuid);
            assertThat(messages(lathe, session)).hasSize(latheMessages + 2);

            // a session Claude Code made itself still imports as one of its own, under its own model
            assertThat(HarnessExportIT.claude(claudeHome, project, llm, "-p", "hello").exit()).isZero();
            var plain = lathe.run("import", "--from", "claude-code", "--dir", project.toString(), "--all");
            assertThat(plain.exit()).as(plain.stderr()).isZero();
            String plainLine = plain.stdout().lines().filter(l -> l.contains("\timported\t")).findFirst().orElseThrow();
            String plainId = plainLine.substring(0, plainLine.indexOf('\t'));
            assertThat(plainId).isNotEqualTo(session);
            assertThat(sessions(lathe, project)).hasSize(2).anySatisfy(s -> {
                assertThat(s.path("id").asString()).isEqualTo(plainId);
                assertThat(s.path("importedFrom").asString()).isEqualTo("claude-code");
            });
            assertThat(messages(lathe, plainId).toString()).contains("hello").contains("anthropic/claude-sonnet-4-5");
        }
    }

    private static List<JsonNode> sessions(Lathe lathe, Path project) throws Exception {
        var listed = lathe.run("sessions", "--dir", project.toString(), "--format", "json");
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : SessionsIT.JSON.readTree(listed.stdout())) out.add(s);
        return out;
    }

    private static List<JsonNode> messages(Lathe lathe, String session) throws Exception {
        var export = lathe.run("export", session);
        assertThat(export.exit()).as(export.stderr()).isZero();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : SessionsIT.JSON.readTree(export.stdout()).path("messages")) out.add(m);
        return out;
    }
}
