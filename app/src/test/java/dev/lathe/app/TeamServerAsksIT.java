package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asks and statuses across nodes (DESIGN §20, issue 45): two real {@code lathe serve} nodes on one PostgreSQL. A turn
 * runs on one node (the lease holder); the other node lists its permission ask and its question, answers both, and its
 * {@code /session/status} shows the session waiting, then busy, then idle. A reply to an unknown ask, and a second
 * reply to one answered already, are refused with a 4xx; the ask is answered once. A prompt sent through the other
 * node with {@code "delivery": "interrupt"} stops a long command on the runner (issue 56: steering across nodes).
 */
class TeamServerAsksIT {
    private static final Duration WAIT = Duration.ofSeconds(120);  // six engineers on two cores: generous, never weaker

    @TempDir Path tmp;

    @Test
    void anAskAndAQuestionOfATurnOnOneNodeAreListedAndAnsweredThroughTheOtherWhichShowsItsStatus() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_asks");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"ask\"}}";
            var release = new CountDownLatch(1);
            llm.enqueue(Turn.of(Step.toolCall("call_echo", "bash", "{\"command\":\"echo answered-through-the-other-node\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_q", "question", "{\"questions\":[{\"question\":\"Which colour?\",\"options\":[\"red\",\"blue\"]}]}")));
            llm.enqueue(Turn.of(Step.text("Blue it is, and the echo ran.")).pauseAfter(2, release));
            try (var a = TeamNode.start(tmp.resolve("node-a"), config, db.url()); var b = TeamNode.start(tmp.resolve("node-b"), config, db.url())) {
                SessionId id;
                try (var onA = a.client(ws.path())) {
                    id = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    onA.prompt(id, PromptRequest.text("echo something, then ask me a colour"));
                }
                TeamNode runner = TeamNode.awaitHolder(db, id, List.of(a, b));
                TeamNode other = runner == a ? b : a;
                try (var here = other.client(ws.path()); var there = runner.client(ws.path())) {
                    // the permission ask of the turn on the runner, listed and answered through the other node
                    await(() -> !here.permissions("").isEmpty());
                    var ask = here.permissions("").getFirst();
                    assertThat(ask.sessionId()).isEqualTo(id);
                    assertThat(here.permissions(ws.path().toString())).extracting(p -> p.id()).containsExactly(ask.id());
                    assertThat(here.status(id)).isInstanceOf(SessionStatus.Waiting.class);
                    assertThat(here.statuses("")).containsKey(id);
                    assertThatThrownBy(() -> here.replyPermission(new PermissionId("prm_00000000000000000000000000"), PermissionReplyRequest.of(PermissionReply.ONCE)))
                            .isInstanceOf(LatheException.NotFound.class);
                    here.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
                    // answered once: a second answer, through either node, is refused
                    assertThatThrownBy(() -> there.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.REJECT)))
                            .isInstanceOfAny(LatheException.NotFound.class, LatheException.Conflict.class);

                    // the question, the same way
                    await(() -> !here.questions("").isEmpty());
                    var question = here.questions("").getFirst();
                    assertThat(question.sessionId()).isEqualTo(id);
                    assertThat(here.status(id)).isInstanceOf(SessionStatus.Waiting.class);
                    assertThatThrownBy(() -> here.replyQuestion(new QuestionId("que_00000000000000000000000000"), QuestionReplyRequest.answered(List.of(List.of("red")))))
                            .isInstanceOf(LatheException.NotFound.class);
                    here.replyQuestion(question.id(), QuestionReplyRequest.answered(List.of(List.of("blue"))));

                    // the answer streams on the runner, held by the model: busy on the other node's board
                    await(() -> here.status(id) instanceof SessionStatus.Busy && here.statuses("").get(id) instanceof SessionStatus.Busy);
                    assertThat(here.permissions("")).isEmpty();
                    assertThat(here.questions("")).isEmpty();
                    release.countDown();
                    await(() -> here.messages(id).getLast().parts().stream()
                            .anyMatch(p -> p instanceof Part.Text t && t.text().equals("Blue it is, and the echo ran.")));
                    await(() -> here.statuses("").isEmpty() && here.status(id) instanceof SessionStatus.Idle);

                    var parts = here.messages(id).stream().flatMap(m -> m.parts().stream()).toList();
                    assertThat(parts).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class, t -> {
                        assertThat(t.tool()).isEqualTo("bash");
                        assertThat(t.state()).isInstanceOfSatisfying(ToolState.Completed.class,
                                c -> assertThat(c.output()).contains("answered-through-the-other-node"));
                    }));
                    assertThat(parts).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class, t -> {
                        assertThat(t.tool()).isEqualTo("question");
                        assertThat(t.state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).contains("blue"));
                    }));
                    assertThat(llm.requests()).hasSize(3);

                    // a long command on the runner, stopped by an interrupting prompt sent through the other node: the
                    // stop crosses nodes (NOTIFY lathe_stop), and the prompt is stored once the runner says it is idle
                    llm.enqueue(Turn.of(Step.toolCall("call_sleep", "bash", "{\"command\":\"sleep 300\"}")));
                    llm.enqueue(Turn.of(Step.text("Stopped; doing the other thing.")));
                    here.prompt(id, PromptRequest.text("wait a long while"));
                    await(() -> !here.permissions("").isEmpty());
                    here.replyPermission(here.permissions("").getFirst().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
                    await(() -> here.messages(id).getLast().parts().stream()
                            .anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running));
                    long sent = System.nanoTime();
                    here.prompt(id, PromptRequest.text("stop that and do the other thing").delivered(Delivery.interrupt));
                    await(() -> here.messages(id).getLast().parts().stream()
                            .anyMatch(p -> p instanceof Part.Text t && t.text().equals("Stopped; doing the other thing.")));
                    assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("the command was stopped, not waited for").isLessThan(Duration.ofSeconds(100));
                    assertThat(here.messages(id).stream().flatMap(m -> m.parts().stream())).anySatisfy(p -> assertThat(p)
                            .isInstanceOfSatisfying(Part.Tool.class, t -> assertThat(t.state()).isInstanceOf(ToolState.Failed.class)));
                    assertThat(llm.requests()).hasSize(5);
                }
                assertThat(runner.log()).doesNotContain("Exception in thread");
            }
        }
    }

    static void await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(100);
        }
    }
}
