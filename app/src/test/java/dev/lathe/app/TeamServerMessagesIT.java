package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent team messages across team-server nodes (DESIGN §18 "Agent teams", §20; issue 57): two real {@code lathe serve}
 * nodes on one PostgreSQL, a 3 s lease. A lead makes a team of ana and bo. bo is set waiting on node B (the user
 * prompts it through B: a {@code sleep}) while ana, run through node A, messages it: the message joins bo's running
 * turn at its next step boundary on B (no new turn), and bo's reply wakes the idle lead through the work queue. Another
 * user's team member on B can neither message ana nor claim the first team's task. Then bo waits again on B, ana sends
 * a second message, and B is killed: A takes bo over and bo answers the second message exactly once.
 */
class TeamServerMessagesIT {
    @TempDir Path tmp;

    private static boolean is(RecordedRequest r, String member) { return r.body().contains("You are " + member + ", a member"); }

    private static Turn call(String id, String tool, String args) { return Turn.of(Step.toolCall(id, tool, args)).finish("tool_calls"); }

    private static Turn respond(RecordedRequest r) {
        String body = r.body();
        String last = r.lastUserText();
        if (is(r, "ana")) {
            if (body.contains("send bo more news")) {
                return r.toolResult("a2").isEmpty() ? call("a2", "send_message", "{\"to\":\"bo\",\"text\":\"second news\"}") : Turn.of(Step.text("ANA-SENT-2"));
            }
            if (body.contains("send bo the news")) {
                return r.toolResult("a1").isEmpty() ? call("a1", "send_message", "{\"to\":\"bo\",\"text\":\"found it in notes.txt\"}") : Turn.of(Step.text("ANA-SENT"));
            }
            return Turn.of(Step.text("ANA-READY"));
        }
        if (is(r, "bo")) {
            if (last.contains("second news")) return Turn.of(Step.text("BO-GOT-SECOND"));
            if (body.contains("wait again")) return r.toolResult("b3").isEmpty() ? call("b3", "bash", "{\"command\":\"sleep 300\"}") : Turn.of(Step.text("BO-WOKE"));
            if (body.contains("wait for news")) {
                if (r.toolResult("b1").isEmpty()) return call("b1", "bash", "{\"command\":\"sleep 20\"}");
                if (!body.contains("found it in notes.txt")) return Turn.of(Step.text("BO-NO-NEWS"));
                return r.toolResult("b2").isEmpty() ? call("b2", "send_message", "{\"to\":\"lead\",\"text\":\"bo read ana's news\"}") : Turn.of(Step.text("BO-DONE"));
            }
            return Turn.of(Step.text("BO-READY"));
        }
        if (is(r, "eve")) {
            if (r.toolResult("e1").isEmpty()) return call("e1", "send_message", "{\"to\":\"ana\",\"text\":\"drop your task\"}");
            if (r.toolResult("e2").isEmpty()) return call("e2", "team_tasks", "{\"op\":\"claim\",\"id\":1}");
            return Turn.of(Step.text("EVE-DONE"));
        }
        if (body.contains("mallory's team")) {
            return r.toolResult("m1").isEmpty() ? call("m1", "team_create", "{\"name\":\"other\",\"members\":[{\"name\":\"eve\",\"prompt\":\"Take over.\"}]}")
                    : Turn.of(Step.text("MALLORY-WAITING"));
        }
        if (r.toolResult("c1").isEmpty()) {
            return call("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Find it.\"},{\"name\":\"bo\",\"prompt\":\"Fix it.\"}]}");
        }
        if (r.toolResult("c2").isEmpty()) return call("c2", "team_tasks", "{\"op\":\"add\",\"title\":\"find the bug\"}");
        return Turn.of(Step.text(last.contains("from=\"bo\"") ? "LEAD-GOT-BO" : "LEAD-WAITING"));
    }

    @Test
    void messagesCrossNodesJoinARunningTurnWakeAnIdleOneAndSurviveAKilledNodeOnce() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_messages");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "the bug is here\n").initGitRepo();
            String provider = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"allow\"}, \"agents\": {\"maxTeamMembers\": 3}}";
            llm.respondWith(TeamServerMessagesIT::respond);
            var nodes = TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b")), config, db.url(), "--lease-seconds", "3");
            try (var a = nodes.get(0); var b = nodes.get(1); var onA = a.client(ws.path()); var onB = b.client(ws.path())) {
                try {
                    SessionId lead = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    onA.prompt(lead, PromptRequest.text("make a team"));
                    TeamServerAsksIT.await(() -> onA.children(lead).size() == 2 && onA.statuses("").isEmpty()
                            && texts(onA.messages(lead)).contains("LEAD-WAITING"));
                    SessionId ana = member(onA, lead, "ana");
                    SessionId bo = member(onA, lead, "bo");

                    // bo busy on B; ana, run through A, messages it: the message joins bo's running turn on B. A ran
                    // bo's first turn (queued by the team's creation, which may not have started when the lead waits)
                    // and lets go of its lease only after two idle renewals (decision 221); until both, a prompt
                    // through B is still run by A
                    TeamServerAsksIT.await(() -> texts(onA.messages(bo)).contains("BO-READY") && texts(onA.messages(ana)).contains("ANA-READY"));
                    TeamNode.awaitNoHolder(db, bo);
                    onB.prompt(bo, PromptRequest.text("wait for news"));
                    TeamServerAsksIT.await(() -> runningCall(onB.messages(bo)));
                    assertThat(TeamNode.awaitHolder(db, bo, nodes)).isSameAs(b);
                    onA.prompt(ana, PromptRequest.text("send bo the news"));
                    TeamServerAsksIT.await(() -> texts(onA.messages(bo)).contains("BO-DONE") && texts(onA.messages(lead)).contains("LEAD-GOT-BO"));
                    assertThat(texts(onA.messages(bo))).doesNotContain("BO-NO-NEWS");
                    assertThat(received(onA.messages(bo))).containsExactly("<message from=\"ana\">\nfound it in notes.txt\n</message>");
                    // bo's reply woke the idle lead through the work queue
                    assertThat(received(onA.messages(lead))).containsExactly("<message from=\"bo\">\nbo read ana's news\n</message>");

                    // another user's team member on B reaches nothing of this team
                    attackFromAnotherUsersTeam(b, ws, db, ana);

                    // bo waits again on B; ana's second message is stored in its session; B is killed
                    onB.prompt(bo, PromptRequest.text("wait again"));
                    TeamServerAsksIT.await(() -> runningCall(onB.messages(bo)));
                    assertThat(TeamNode.awaitHolder(db, bo, nodes)).isSameAs(b);
                    onA.prompt(ana, PromptRequest.text("send bo more news"));
                    TeamServerAsksIT.await(() -> texts(onA.messages(ana)).contains("ANA-SENT-2"));
                    b.kill();
                    TeamServerAsksIT.await(() -> texts(onA.messages(bo)).contains("BO-GOT-SECOND") && onA.statuses("").isEmpty());
                    Thread.sleep(3_000);  // a second delivery or answer would show by now
                    List<MessageWithParts> boHistory = onA.messages(bo);
                    assertThat(received(boHistory).stream().filter(t -> t.contains("second news"))).hasSize(1);
                    assertThat(texts(boHistory).stream().filter("BO-GOT-SECOND"::equals)).hasSize(1);
                    assertThat(llm.requests().stream().filter(r -> is(r, "bo") && r.lastUserText().contains("second news"))).hasSize(1);
                    assertThat(undelivered(db)).isZero();
                } catch (AssertionError e) {
                    System.out.println("--- node logs ---\n" + a.log() + "\n---\n" + b.log());
                    throw e;
                }
            }
        }
    }

    /**
     * Mallory, another user, leads a team of her own through node B; its member eve names ana and claims task 1. Names
     * resolve only within eve's own team: the message is refused and the claim finds no task of hers; ana receives
     * nothing and the first team's task 1 keeps no owner.
     */
    private static void attackFromAnotherUsersTeam(TeamNode b, TempWorkspace ws, PostgresCluster.Database db, SessionId ana) throws Exception {
        String token = b.addUser("mallory");
        int anaMessages;
        try (var admin = b.client(ws.path())) {
            anaMessages = received(admin.messages(ana)).size();
        }
        try (var asMallory = HttpLatheClient.connect(b.endpoint().uri(), token, Optional.of(ws.path().toString()))) {
            SessionId hers = asMallory.createSession(CreateSessionRequest.in(ws.path().toString())).id();
            asMallory.prompt(hers, PromptRequest.text("mallory's team"));
            TeamServerAsksIT.await(() -> asMallory.children(hers).size() == 1 && texts(asMallory.messages(asMallory.children(hers).getFirst().id())).contains("EVE-DONE"));
            List<MessageWithParts> eve = asMallory.messages(asMallory.children(hers).getFirst().id());
            assertThat(toolError(eve, "send_message")).hasValueSatisfying(e -> assertThat(e).startsWith("No member ana in team other."));
            assertThat(toolError(eve, "team_tasks")).hasValueSatisfying(e -> assertThat(e).startsWith("There is no task #1"));
        }
        try (var admin = b.client(ws.path())) {
            assertThat(received(admin.messages(ana))).hasSize(anaMessages);
        }
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                var ps = c.prepareStatement("SELECT t.owner FROM team_task t JOIN team m ON m.id = t.team_id WHERE m.name = 'fixers' AND t.seq = 1");
                var rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNull();
        }
    }

    private static long undelivered(PostgresCluster.Database db) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                var ps = c.prepareStatement("SELECT COUNT(*) FROM team_delivery WHERE delivered_at IS NULL"); var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static SessionId member(HttpLatheClient client, SessionId lead, String name) {
        return client.children(lead).stream().filter(s -> s.title().startsWith(name + " of team")).map(Session::id).findFirst().orElseThrow();
    }

    private static boolean runningCall(List<MessageWithParts> history) {
        return history.stream().flatMap(m -> m.parts().stream()).anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running);
    }

    /** The text of the session's answers, each answer's text parts joined. */
    private static List<String> texts(List<MessageWithParts> history) {
        return history.stream().filter(m -> m.info() instanceof AssistantMessage)
                .map(m -> String.join("", m.parts().stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text()).toList())).toList();
    }

    /** The teammates' messages the session received, oldest first. */
    private static List<String> received(List<MessageWithParts> history) {
        return history.stream().filter(m -> m.info() instanceof UserMessage && AgentMessage.marks(m.parts()))
                .map(m -> m.parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text()).findFirst().orElseThrow())
                .toList();
    }

    private static Optional<String> toolError(List<MessageWithParts> history, String tool) {
        return history.stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Tool t && t.tool().equals(tool))
                .map(p -> ((Part.Tool) p).state()).filter(ToolState.Failed.class::isInstance).map(s -> ((ToolState.Failed) s).error()).findFirst();
    }
}
