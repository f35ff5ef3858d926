package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.SessionId;
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
}
