package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.TeamStore;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.MessageId;
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
 * A team and its messages survive a daemon restart (DESIGN §18 "Agent teams", issue 57), on the single-node SQLite
 * store: the daemon stops after a {@code send_message} was logged with its delivery and before the delivery was made
 * (the state a crash between the two transactions leaves). The next start delivers it into the member's session once,
 * the member answers it, and a further restart delivers nothing again. Members, tasks and the message log are kept.
 */
class TeamRestartTest {
    @TempDir Path tmp;

    private Harness harness(FakeLlm llm) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"agents\": {\"maxTeamMembers\": 3}}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static boolean isAna(RecordedRequest r) { return r.body().contains("You are ana, a member"); }

    private static Turn call(String id, String tool, String args) { return Turn.of(Step.toolCall(id, tool, args)).finish("tool_calls"); }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met in time");
            Thread.sleep(20);
        }
    }

    @Test
    void aMessageLoggedBeforeTheDaemonStoppedIsDeliveredOnceAfterTheRestart() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.respondWith(r -> {
                if (isAna(r)) return Turn.of(Step.text(r.lastUserText().contains("from=\"lead\"") ? "ANA-GOT-IT" : "ANA-READY"));
                if (r.toolResult("c1").isEmpty()) {
                    return call("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Wait for the lead.\"}]}");
                }
                if (r.toolResult("c2").isEmpty()) return call("c2", "team_tasks", "{\"op\":\"add\",\"title\":\"find the bug\"}");
                return Turn.of(Step.text("LEAD-WAITING"));
            });
            SessionId lead;
            SessionId ana;
            TeamStore.Team team;
            try (var h = harness(llm)) {
                lead = h.session().id();
                h.promptAndWait(lead, "make a team");
                team = h.storage.teams().ofSession(lead).orElseThrow();
                ana = h.storage.teams().members(team.id()).getFirst().session();
                h.awaitIdle(ana);
                // the daemon stops between send_message's two transactions: logged with its delivery, not delivered
                h.storage.teams().logMessage(team.id(), new TeamStore.Message(MessageId.next().value(), TeamStore.LEAD, "ana", "task 1 is yours",
                        System.currentTimeMillis()), List.of(ana));
            }
            int anaRequestsBefore = (int) llm.requests().stream().filter(TeamRestartTest::isAna).count();

            try (var h = harness(llm)) {
                await(() -> AgentTeamTest.received(h, ana).size() == 1 && llm.requests().stream().filter(TeamRestartTest::isAna).count() == anaRequestsBefore + 1);
                h.awaitIdle(ana);
                assertThat(AgentTeamTest.received(h, ana)).containsExactly("<message from=\"lead\">\ntask 1 is yours\n</message>");
                assertThat(h.storage.teams().undelivered()).isEmpty();
                // the team's state was kept: its members, its task list and its message log
                assertThat(h.storage.teams().ofSession(ana)).contains(team);
                assertThat(h.storage.teams().members(team.id())).extracting(TeamStore.Member::name).containsExactly("ana");
                assertThat(h.storage.teams().tasks(team.id())).containsExactly(
                        new TeamStore.Task(1, "find the bug", TeamStore.Status.PENDING, Optional.empty(), List.of()));
                assertThat(h.storage.teams().messages(team.id(), 10)).extracting(TeamStore.Message::text).containsExactly("task 1 is yours");
            }

            try (var h = harness(llm)) {
                // a second restart finds nothing to deliver: the message is in ana's session once
                Thread.sleep(500);
                assertThat(AgentTeamTest.received(h, ana)).hasSize(1);
                assertThat(llm.requests().stream().filter(TeamRestartTest::isAna).count()).isEqualTo(anaRequestsBefore + 1);
            }
        }
    }
}
