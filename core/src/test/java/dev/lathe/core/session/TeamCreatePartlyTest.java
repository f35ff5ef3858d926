package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.TeamStore;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code team_create} that cannot start every member (issue 57): a member whose worktree cannot be made (the folder is
 * no git repository) and one beyond {@code agents.maxBackground} are neither in the team's store nor running nor a
 * session of the lead; the ones started are, and the result names both kinds, saying why the rest were not started. A
 * started member's introduction names only the teammates that exist.
 * When none can start, no team is made at all: the lead is in no team and may try again.
 */
class TeamCreatePartlyTest {
    @TempDir Path tmp;

    private Harness harness(FakeLlm llm) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"agents\": {\"maxTeamMembers\": 3, \"maxBackground\": 1}}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static boolean isMember(RecordedRequest r) { return r.body().contains(", a member of the agent team"); }

    private static boolean open(CountDownLatch gate) {
        try {
            return gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void membersThatCannotStartAreLeftOutWholeAndTheResultSaysWhy() throws Exception {
        var anaGoes = new CountDownLatch(1);
        try (var llm = FakeLlm.start(); var h = harness(llm)) {
            llm.respondWith(r -> {
                // ana is still at work when the third member would start: the background cap (1) is hers
                if (isMember(r)) return Turn.of(Step.text(open(anaGoes) ? "ANA-DONE" : "ANA-LATE"));
                if (r.toolResult("c1").isEmpty()) {
                    return Turn.of(Step.toolCall("c1", "team_create", "{\"name\":\"trio\",\"members\":[{\"name\":\"bo\",\"prompt\":\"Fix.\",\"isolation\":\"worktree\"},"
                            + "{\"name\":\"ana\",\"prompt\":\"Look.\"},{\"name\":\"cy\",\"prompt\":\"Review.\"}]}")).finish("tool_calls");
                }
                return Turn.of(Step.text("LEAD-WAITING"));
            });
            SessionId lead = h.session().id();
            h.promptAndWait(lead, "make a team");

            String result = llm.requests().stream().filter(r -> r.toolResult("c1").isPresent()).findFirst().orElseThrow().toolResult("c1").orElseThrow();
            assertThat(result).contains("created team").contains("- ana: session ").contains("Not started")
                    .contains("- bo: The agent cannot have a worktree of its own").contains("- cy: This session already runs 1 background tasks");
            TeamStore teams = h.storage.teams();
            TeamStore.Team team = teams.ofSession(lead).orElseThrow();
            assertThat(teams.members(team.id())).extracting(TeamStore.Member::name).containsExactly("ana");
            // ana's introduction names the teammates that exist: the lead alone, neither bo (made before her) nor cy (after)
            // she starts in the background: her first request may come after the lead's turn has ended
            long asked = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (llm.requests().stream().noneMatch(TeamCreatePartlyTest::isMember) && System.nanoTime() < asked) Thread.sleep(20);
            RecordedRequest ana = llm.requests().stream().filter(TeamCreatePartlyTest::isMember).findFirst().orElseThrow();
            assertThat(ana.body()).contains("You are ana, a member of the agent team \\\"trio\\\". The lead works beside you in a session of its own.")
                    .doesNotContain("The lead and").doesNotContain("bo,").doesNotContain(" cy ");
            // no session was made for bo or cy: the lead's one child is ana, and she is the one running
            assertThat(h.api.childSessions(lead)).singleElement().satisfies(c -> {
                assertThat(c.session().id()).isEqualTo(teams.members(team.id()).getFirst().session());
                assertThat(c.status()).isEqualTo("running");
            });
            anaGoes.countDown();
            // her task ends as any background task does (recorded just after her session goes idle)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!h.api.childSessions(lead).stream().map(ChildSession::status).toList().equals(List.of("completed"))) {
                if (System.nanoTime() > deadline) throw new AssertionError("ana's task did not complete: " + h.api.childSessions(lead));
                Thread.sleep(50);
            }
            // her result wakes the lead: its answer ends before the harness closes, or it would still be writing while the
            // test's folder is deleted
            while (llm.requests().stream().noneMatch(r -> !isMember(r) && r.body().contains("ANA-DONE"))) {
                if (System.nanoTime() > deadline) throw new AssertionError("ana's result did not reach the lead");
                Thread.sleep(50);
            }
            h.awaitIdle(lead);
        } finally {
            anaGoes.countDown();
        }
    }

    @Test
    void whenNoMemberCanStartNoTeamIsMade() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm)) {
            llm.respondWith(r -> {
                if (r.toolResult("c1").isEmpty()) {
                    return Turn.of(Step.toolCall("c1", "team_create", "{\"name\":\"none\",\"members\":[{\"name\":\"bo\",\"prompt\":\"Fix.\","
                            + "\"isolation\":\"worktree\"}]}")).finish("tool_calls");
                }
                return Turn.of(Step.text("LEAD-ALONE"));
            });
            SessionId lead = h.session().id();
            h.promptAndWait(lead, "make a team");

            String result = llm.requests().stream().filter(r -> r.toolResult("c1").isPresent()).findFirst().orElseThrow().toolResult("c1").orElseThrow();
            assertThat(result).contains("No member could be started, so no team was made").contains("bo: The agent cannot have a worktree of its own");
            assertThat(h.storage.teams().ofSession(lead)).isEmpty();
            assertThat(h.api.childSessions(lead)).isEmpty();
        }
    }
}
