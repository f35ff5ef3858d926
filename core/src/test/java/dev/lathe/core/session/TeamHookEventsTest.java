package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import dev.lathe.llm.Protocols;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claude Code's team hook events (DESIGN §22 "Agent teams"): {@code TeammateIdle} when a member's turn ends, with
 * {@code teammate_name} and {@code team_name}; {@code TaskCompleted} when a task is marked completed, with
 * {@code task_id}, {@code task_subject}, {@code teammate_name}, {@code team_name}, whose exit 2 keeps the task open.
 */
class TeamHookEventsTest {
    @TempDir Path tmp;

    private String hook(String event, String body) throws Exception {
        Path script = Files.createDirectories(tmp.resolve("hooks")).resolve(event + ".sh");
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        script.toFile().setExecutable(true);
        return "\"" + event + "\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"" + script + "\", \"timeout\": 20}]}]";
    }

    /** The JSON a hook wrote to {@code file}, once it is there whole (a member's turn ends on its own thread). */
    private static JsonNode awaitJson(JsonMapper json, Path file) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (Files.exists(file)) return json.readTree(Files.readString(file));
            } catch (java.io.IOException | RuntimeException partial) {
                // written while read: read it again
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the hook wrote no " + file.getFileName() + " within 30 s");
            Thread.sleep(50);
        }
    }

    @Test
    void taskCompletedFiresWithClaudeCodesFieldsAndItsExitTwoKeepsTheTaskOpen() throws Exception {
        Path idle = tmp.resolve("idle.json");
        Path completed = tmp.resolve("completed.json");
        String hooks = hook("TeammateIdle", "cat > " + idle) + ", " + hook("TaskCompleted", "cat > " + completed + "; echo 'tests still fail' >&2; exit 2");
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"agents\": {\"maxTeamMembers\": 2}, \"hooks\": {" + hooks + "}}";
            try (var h = Harness.withHooksAndConfig(tmp, config, HookRunLog.NONE, Protocols.standard(HttpClient.newHttpClient())).trustProject()) {
                llm.respondWith(r -> {
                    if (r.body().contains("You are ana, a member")) return Turn.of(Step.text("ANA-READY"));
                    if (r.toolResult("c1").isEmpty()) {
                        return Turn.of(Step.toolCall("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Look.\"}]}"))
                                .finish("tool_calls");
                    }
                    if (r.toolResult("c2").isEmpty()) return Turn.of(Step.toolCall("c2", "team_tasks", "{\"op\":\"add\",\"title\":\"fix the parser\"}")).finish("tool_calls");
                    if (r.toolResult("c3").isEmpty()) {
                        return Turn.of(Step.toolCall("c3", "team_tasks", "{\"op\":\"update\",\"id\":1,\"status\":\"completed\"}")).finish("tool_calls");
                    }
                    return Turn.of(Step.text("LEAD-WAITING"));
                });
                SessionId lead = h.session().id();
                h.promptAndWait(lead, "team up");

                var json = JsonMapper.builder().build();
                JsonNode done = json.readTree(Files.readString(completed));
                assertThat(done.path("hook_event_name").asString()).isEqualTo("TaskCompleted");
                assertThat(done.path("task_id").asString()).isEqualTo("1");
                assertThat(done.path("task_subject").asString()).isEqualTo("fix the parser");
                assertThat(done.path("teammate_name").asString()).isEqualTo("lead");
                assertThat(done.path("team_name").asString()).isEqualTo("fixers");
                // exit 2 kept the task open, and the agent read why
                TeamStore teams = h.storage.teams();
                assertThat(teams.tasks(teams.ofSession(lead).orElseThrow().id())).singleElement()
                        .satisfies(t -> assertThat(t.status()).isEqualTo(TeamStore.Status.PENDING));
                RecordedRequest last = llm.requests().stream().filter(r -> r.toolResult("c3").isPresent()).findFirst().orElseThrow();
                assertThat(last.toolResult("c3").orElseThrow()).contains("kept task #1 open").contains("tests still fail");

                // the member's background turn ended: TeammateIdle, naming her and her team
                JsonNode wentIdle = awaitJson(json, idle);
                assertThat(wentIdle.path("hook_event_name").asString()).isEqualTo("TeammateIdle");
                assertThat(wentIdle.path("teammate_name").asString()).isEqualTo("ana");
                assertThat(wentIdle.path("team_name").asString()).isEqualTo("fixers");
            }
        }
    }

    /**
     * Claude Code's contract: a TeammateIdle hook's exit 2 sends its stderr back to the member, which keeps working instead
     * of going idle; when the hook then exits 0 the member goes idle. A real hook script decides.
     */
    @Test
    void teammateIdleExitTwoKeepsTheMemberWorkingWithTheHooksFeedback() throws Exception {
        Path count = tmp.resolve("idle-count");
        String hooks = hook("TeammateIdle", "echo idle >> " + count + "\nif [ $(wc -l < " + count + ") -eq 1 ]; then echo 'run the tests once more' >&2; exit 2; fi\nexit 0");
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"agents\": {\"maxTeamMembers\": 2}, \"hooks\": {" + hooks + "}}";
            try (var h = Harness.withHooksAndConfig(tmp, config, HookRunLog.NONE, Protocols.standard(HttpClient.newHttpClient())).trustProject()) {
                llm.respondWith(r -> {
                    if (r.body().contains("You are ana, a member")) {
                        return Turn.of(Step.text(r.lastUserText().contains("TeammateIdle hook feedback") ? "ANA-WENT-ON" : "ANA-READY"));
                    }
                    if (r.toolResult("c1").isEmpty()) {
                        return Turn.of(Step.toolCall("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Look.\"}]}"))
                                .finish("tool_calls");
                    }
                    return Turn.of(Step.text("LEAD-WAITING"));
                });
                SessionId lead = h.session().id();
                h.promptAndWait(lead, "team up");
                TeamStore teams = h.storage.teams();
                SessionId ana = teams.members(teams.ofSession(lead).orElseThrow().id()).getFirst().session();

                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (!(Files.exists(count) && Files.readAllLines(count).size() == 2)) {
                    if (System.nanoTime() > deadline) throw new AssertionError("TeammateIdle did not fire twice: " + (Files.exists(count) ? Files.readAllLines(count) : "never"));
                    Thread.sleep(50);
                }
                h.awaitIdle(ana);
                // the hook's stderr reached ana as her next prompt, marked as the hook's, and she answered it
                var feedback = llm.requests().stream().filter(r -> r.body().contains("You are ana, a member") && r.lastUserText().contains("TeammateIdle hook feedback"))
                        .toList();
                assertThat(feedback).singleElement().satisfies(r -> assertThat(r.lastUserText()).contains("run the tests once more"));
                assertThat(h.api.messages(ana).getLast().parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic())
                        .map(p -> ((Part.Text) p).text())).containsExactly("ANA-WENT-ON");
                // then the hook let her go idle: no third turn
                Thread.sleep(500);
                assertThat(Files.readAllLines(count)).hasSize(2);
            }
        }
    }
}
