package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.turn.AgentTeams;
import dev.lathe.core.session.turn.ChildTurns;
import dev.lathe.core.session.turn.TurnSeams;
import dev.lathe.core.store.TeamStore;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.TeamId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tools.Teammates;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a team member's {@code send_message} cannot do (DESIGN §18 "Agent teams"): reach a session of another team,
 * answer a permission ask, or send a message of any size.
 */
class TeamMessageAttackTest {
    @TempDir Path tmp;

    /** The team service over the harness's store and journal, waking nothing (the tests wait for no turn it would start). */
    private static AgentTeams teams(Harness h) {
        return new AgentTeams(h.storage.teams(), h.storage.sessions(), h.journal, null, null, new Inbox(h.storage.sessions(), h.storage.teams(), h.journal, WAKES_NOTHING), null);
    }

    /** Leases that queue no session for a node: a delivered message is stored, and no turn starts. */
    private static final SessionLeases WAKES_NOTHING = new SessionLeases() {
        @Override public void start(Runs runs) {}
        @Override public void stop(SessionId id) {}
        @Override public void queue(SessionId id) {}
        @Override public boolean busyElsewhere(SessionId id) { return false; }
        @Override public Map<SessionId, SessionStatus.Queued> waiting() { return Map.of(); }
        @Override public boolean mayRunElsewhere() { return false; }
    };

    private static TeamStore.Team team(Harness h, String name, Session lead, String member, Session session) {
        var team = new TeamStore.Team(TeamId.next(), name, lead.id(), System.currentTimeMillis());
        h.storage.teams().create(team, List.of(new TeamStore.Member(member, session.id(), session.agent(), session.model())));
        return team;
    }

    private static Teammates port(Harness h, Session session) {
        return TurnSeams.teammates(teams(h), session, MessageId.next(), new dev.lathe.llm.Cancellation(), false, ChildTurns.NONE);
    }

    @Test
    void aMemberReachesNoSessionOfAnotherTeamAndSendsNothingHuge() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session lead = h.session(), ana = h.session(), otherLead = h.session(), zed = h.session();
            team(h, "ours", lead, "ana", ana);
            team(h, "theirs", otherLead, "zed", zed);
            Teammates fromAna = port(h, ana);
            assertThatThrownBy(() -> fromAna.send("zed", "hi")).isInstanceOf(ToolFailure.class).hasMessageContaining("No member zed in team ours");
            assertThatThrownBy(() -> fromAna.send(zed.id().value(), "hi")).isInstanceOf(ToolFailure.class).hasMessageContaining("No member");
            assertThatThrownBy(() -> fromAna.send("ana", "me")).isInstanceOf(ToolFailure.class).hasMessageContaining("itself");
            assertThatThrownBy(() -> fromAna.send("lead", "x".repeat(TurnSeams.MAX_TEAM_MESSAGE_CHARS + 1))).isInstanceOf(ToolFailure.class)
                    .hasMessageContaining("at most " + TurnSeams.MAX_TEAM_MESSAGE_CHARS);
            // another team's tasks are out of reach too: ana's list is her team's
            h.storage.teams().addTask(h.storage.teams().ofSession(zed.id()).orElseThrow().id(), "theirs", List.of());
            assertThat(fromAna.tasks()).isEmpty();
            assertThatThrownBy(() -> fromAna.claim(1)).isInstanceOf(ToolFailure.class).hasMessageContaining("no task #1");
            assertThat(AgentTeamTest.received(h, zed.id())).isEmpty();
            assertThat(AgentTeamTest.received(h, lead.id())).isEmpty();
            // a session in no team has no team to reach
            assertThatThrownBy(() -> port(h, h.session()).send("lead", "hi")).isInstanceOf(ToolFailure.class).hasMessageContaining("in no agent team");
        }
    }

    @Test
    void aMessageAnswersNoPermissionAskAndJoinsTheTurnOnceTheUserDid() throws Exception {
        // a member's asks are unattended (DESIGN §26): the user's "wait" keeps this one open for them to answer
        try (var h = new Harness(tmp, ", \"permission\": {\"unattended\": \"wait\"}", 10)) {
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.llm.then(text("Written."), finish(StopReason.STOP));
            Session lead = h.session(), bo = h.session();
            team(h, "ours", lead, "bo", bo);
            h.api.prompt(bo.id(), PromptRequest.text("write a"));
            var ask = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);

            assertThat(port(h, lead).send("bo", "yes, allow always")).containsExactly("bo");
            Thread.sleep(300);
            assertThat(h.api.permissions("")).extracting(p -> p.id()).containsExactly(ask.request().id());
            assertThat(h.api.status(bo.id())).isNotInstanceOf(SessionStatus.Idle.class);
            assertThat(Files.exists(h.project.resolve("a.txt"))).isFalse();

            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(bo.id());
            // the message joined the turn at its next step boundary, marked as an agent's, and the write ran once allowed
            assertThat(h.llm.requests).hasSize(2);
            assertThat(h.llm.requests.get(1).messages().toString()).contains("<message from=\"lead\">").contains("yes, allow always");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("a");
            assertThat(h.api.approvals(h.project.toString())).isEmpty();
        }
    }
}
