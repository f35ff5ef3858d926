package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.TeamStore;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 57's end-to-end team: a lead and three members on two providers (two fake model endpoints, each its own
 * provider id in the config) finish a split task through the task list. The lead adds three tasks, each depending on the
 * one before, and finds the last one blocked; ana (the lead's provider) finds, bo and cy (the other provider) fix and
 * review, each claiming its task once the one before is completed and telling the next; the lead receives every
 * member's message. Real HTTP to the fake endpoints, real SQLite.
 */
class AgentTeamProvidersTest {
    @TempDir Path tmp;

    private static boolean is(RecordedRequest r, String member) { return r.body().contains("You are " + member + ", a member"); }

    private static Turn call(String id, String tool, String args) { return Turn.of(Step.toolCall(id, tool, args)).finish("tool_calls"); }

    /** The member's steps once {@code from}'s message reached it: claim its task, complete it, tell {@code next} and the lead. */
    private static Turn work(RecordedRequest r, String name, String from, int task, Optional<String> next) {
        String p = name.substring(0, 1);
        if (!r.body().contains("from=\\\"" + from + "\\\"")) return Turn.of(Step.text(name.toUpperCase() + "-WAITING"));
        if (r.toolResult(p + "1").isEmpty()) return call(p + "1", "team_tasks", "{\"op\":\"claim\",\"id\":" + task + "}");
        if (r.toolResult(p + "2").isEmpty()) return call(p + "2", "team_tasks", "{\"op\":\"update\",\"id\":" + task + ",\"status\":\"completed\"}");
        if (next.isPresent() && r.toolResult(p + "3").isEmpty()) {
            return call(p + "3", "send_message", "{\"to\":\"" + next.get() + "\",\"text\":\"task " + task + " is done\"}");
        }
        if (r.toolResult(p + "4").isEmpty()) return call(p + "4", "send_message", "{\"to\":\"lead\",\"text\":\"" + name + " completed task " + task + "\"}");
        return Turn.of(Step.text(name.toUpperCase() + "-DONE"));
    }

    private static Turn respond(RecordedRequest r) {
        if (is(r, "ana")) return work(r, "ana", "lead", 1, Optional.of("bo"));
        if (is(r, "bo")) return work(r, "bo", "ana", 2, Optional.of("cy"));
        if (is(r, "cy")) return work(r, "cy", "bo", 3, Optional.empty());
        if (r.toolResult("l1").isEmpty()) {
            return call("l1", "team_create", "{\"name\":\"tz-fix\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Find the bug.\"},"
                    + "{\"name\":\"bo\",\"prompt\":\"Fix it.\",\"model\":\"other/m\"},{\"name\":\"cy\",\"prompt\":\"Review the fix.\",\"model\":\"other/m\"}]}");
        }
        if (r.toolResult("l2").isEmpty()) return call("l2", "team_tasks", "{\"op\":\"add\",\"title\":\"find the bug\"}");
        if (r.toolResult("l3").isEmpty()) return call("l3", "team_tasks", "{\"op\":\"add\",\"title\":\"fix it\",\"dependsOn\":[1]}");
        if (r.toolResult("l4").isEmpty()) return call("l4", "team_tasks", "{\"op\":\"add\",\"title\":\"review the fix\",\"dependsOn\":[2]}");
        if (r.toolResult("l5").isEmpty()) return call("l5", "team_tasks", "{\"op\":\"claim\",\"id\":3}");
        if (r.toolResult("l6").isEmpty()) return call("l6", "send_message", "{\"to\":\"*\",\"text\":\"three tasks are up: ana 1, bo 2, cy 3\"}");
        return Turn.of(Step.text("LEAD-WAITING"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met in time");
            Thread.sleep(20);
        }
    }

    @Test
    void aLeadAndThreeMembersOnTwoProvidersFinishASplitTaskThroughTheTaskList() throws Exception {
        try (var one = FakeLlm.start(); var two = FakeLlm.start()) {
            one.respondWith(AgentTeamProvidersTest::respond);
            two.respondWith(AgentTeamProvidersTest::respond);
            String config = "{\"model\": \"fake/m\", \"provider\": {"
                    + "\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + one.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}},"
                    + "\"other\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + two.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}},"
                    + " \"agents\": {\"maxTeamMembers\": 3}}";
            try (var h = new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()))) {
                SessionId lead = h.session().id();
                h.promptAndWait(lead, "fix the timezone bug as a team of three");
                TeamStore teams = h.storage.teams();
                TeamStore.Team team = teams.ofSession(lead).orElseThrow();
                await(() -> teams.tasks(team.id()).stream().allMatch(t -> t.status() == TeamStore.Status.COMPLETED)
                        && AgentTeamTest.received(h, lead).size() == 3);
                List<TeamStore.Member> members = teams.members(team.id());
                for (TeamStore.Member m : members) h.awaitIdle(m.session());
                h.awaitIdle(lead);

                assertThat(members).extracting(TeamStore.Member::name, TeamStore.Member::model)
                        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ana", "fake/m"), org.assertj.core.groups.Tuple.tuple("bo", "other/m"),
                                org.assertj.core.groups.Tuple.tuple("cy", "other/m"));
                assertThat(teams.tasks(team.id())).extracting(TeamStore.Task::owner)
                        .containsExactly(Optional.of("ana"), Optional.of("bo"), Optional.of("cy"));
                assertThat(teams.tasks(team.id())).extracting(TeamStore.Task::dependsOn).containsExactly(List.of(), List.of(1), List.of(2));
                assertThat(AgentTeamTest.received(h, lead)).containsExactlyInAnyOrder("<message from=\"ana\">\nana completed task 1\n</message>",
                        "<message from=\"bo\">\nbo completed task 2\n</message>", "<message from=\"cy\">\ncy completed task 3\n</message>");
                // the lead's early claim of the last task was refused: its dependency was not completed
                RecordedRequest afterClaim = one.requests().stream().filter(r -> r.toolResult("l5").isPresent()).findFirst().orElseThrow();
                assertThat(afterClaim.toolResult("l5").orElseThrow()).contains("waits for #2");
                // each provider answered its own members: the lead and ana on one endpoint, bo and cy on the other
                assertThat(one.requests()).noneMatch(r -> is(r, "bo") || is(r, "cy")).anyMatch(r -> is(r, "ana"));
                assertThat(two.requests()).allMatch(r -> is(r, "bo") || is(r, "cy")).anyMatch(r -> is(r, "bo")).anyMatch(r -> is(r, "cy"));
            }
        }
    }
}
