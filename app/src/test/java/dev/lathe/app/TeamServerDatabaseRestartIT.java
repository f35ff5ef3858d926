package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restarted mid-turn (DESIGN §20, issue 45): two real nodes on a PostgreSQL cluster of the test's own,
 * stopped ({@code pg_ctl stop -m fast}) while a turn streams on one node and started again. While it is away, a prompt
 * fails with {@code 503 store_unavailable} naming the store (not a 500); once it is back the nodes reconnect (pool and
 * {@code LISTEN}), the cut turn has ended (completed, or closed with an error that says why), nothing completed before is
 * lost, and a new prompt through either node is answered and watched as usual.
 */
class TeamServerDatabaseRestartIT {
    @TempDir Path tmp;

    @Test
    void aDatabaseRestartMidTurnEndsTheTurnCleanlyLosesNothingAndLaterPromptsWork() throws Exception {
        PostgresCluster cluster = PostgresCluster.startOwn();
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            var db = cluster.newDatabase("team_restart");
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String config = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            var release = new CountDownLatch(1);
            String cut = "This answer streams across a database restart. " + "Word by word. ".repeat(20);
            // each answer is chosen by the prompt it answers: the turn the restart cut may ask again, and must get its own
            // answer again rather than the next one in a queue (a retry after the release streams without pausing)
            llm.respondWith(r -> {
                String last = r.messages().getLast().toString();
                if (last.contains("all good?")) return Turn.of(Step.text("Back to normal."));
                if (last.contains("now stream a long answer")) return Turn.of(Step.text(cut)).pauseAfter(4, release);
                return Turn.of(Step.text("First answer, before any trouble."));
            });
            try (var a = TeamNode.start(tmp.resolve("node-a"), config, db.url()); var b = TeamNode.start(tmp.resolve("node-b"), config, db.url())) {
                SessionId id;
                try (var onA = a.client(ws.path())) {
                    id = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    onA.prompt(id, PromptRequest.text("say something"));
                    TeamServerAsksIT.await(() -> TeamNode.completedAnswers(onA, id) == 1);
                    onA.prompt(id, PromptRequest.text("now stream a long answer"));
                }
                TeamServerAsksIT.await(() -> llm.requests().size() == 2);
                TeamNode runner = TeamNode.awaitHolder(db, id, List.of(a, b));
                TeamNode other = runner == a ? b : a;

                try {
                    cluster.pause();
                    release.countDown();  // the turn streams on while the database is away
                    try (var here = other.client(ws.path())) {
                        assertThatThrownBy(() -> here.prompt(id, PromptRequest.text("are you there?")))
                                .isInstanceOfSatisfying(LatheException.Unavailable.class, e -> {
                                    assertThat(e.code()).isEqualTo("store_unavailable");
                                    assertThat(e.getMessage()).contains("team_restart").contains("127.0.0.1:" + cluster.port()).doesNotContain("internal");
                                });
                    }
                    cluster.resume();

                    try (var here = other.client(ws.path()); var there = runner.client(ws.path())) {
                        // the cut turn ended, one way or the other, and says so on both nodes
                        TeamServerAsksIT.await(() -> ended(here.messages(id)) && ended(there.messages(id)));
                        TeamServerAsksIT.await(() -> here.statuses("").isEmpty() && there.statuses("").isEmpty());
                        var history = here.messages(id);
                        var cutAnswer = (AssistantMessage) history.get(3).info();
                        cutAnswer.error().ifPresent(e -> assertThat(e.message()).isNotBlank());
                        if (cutAnswer.error().isEmpty()) assertThat(text(history.get(3))).isEqualTo(cut);
                        // nothing completed before is lost
                        assertThat(history.get(0).info()).isInstanceOf(UserMessage.class);
                        assertThat(text(history.get(1))).isEqualTo("First answer, before any trouble.");
                        assertThat(history.get(2).info()).isInstanceOf(UserMessage.class);
                        // a later prompt, through the other node, is answered (and the refused one was not stored)
                        here.prompt(id, PromptRequest.text("all good?"));
                        TeamServerAsksIT.await(() -> here.messages(id).size() == 6 && ended(here.messages(id))
                                && text(here.messages(id).getLast()).equals("Back to normal."));
                        assertThat(here.messages(id)).extracting(m -> m.info().getClass().getSimpleName())
                                .containsExactly("UserMessage", "AssistantMessage", "UserMessage", "AssistantMessage", "UserMessage", "AssistantMessage");
                        // the answer completes a moment before its runner says idle (on the node that ran it, then here)
                        TeamServerAsksIT.await(() -> here.status(id) instanceof SessionStatus.Idle);
                    }
                    assertThat(runner.log() + other.log()).doesNotContain("Exception in thread").doesNotContain("internal server error");
                } catch (AssertionError e) {
                    System.out.println("--- node logs ---\n" + runner.log() + "\n---\n" + other.log());
                    throw e;
                }
            }
        } finally {
            cluster.stop();
        }
    }

    /** Every answer of the session is closed (completed or with an error). */
    private static boolean ended(List<MessageWithParts> history) {
        return history.stream().allMatch(m -> !(m.info() instanceof AssistantMessage a) || a.completedAt().isPresent());
    }

    private static String text(MessageWithParts message) {
        return message.parts().stream().filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).reduce("", String::concat);
    }
}
