package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spend limit's ask over HTTP (decision 119): the session of one client pauses at its limit, and a second client —
 * another program attached to the same server — raises it, and the turn continues to the model's answer.
 */
class SpendLimitAskTest {
    @TempDir Path tmp;

    @Test
    void aSecondClientRaisesTheLimitTheFirstClientsSessionReached() throws Exception {
        // the first step reports 6,000 input and 20 output tokens: it passes the 5,000-token limit (a request is admitted
        // only while what is spent plus its estimate, its whole prompt of about 4,800 tokens, stays within the limit)
        try (var live = new LiveServer(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}")) {
            Files.writeString(live.project.resolve("notes.txt"), "alpha\n");
            live.llm.enqueue(Turn.of(Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}")).usage(6_000, 20, 0, 0));
            live.llm.enqueue(Turn.of(Step.text("The file says alpha.")));
            try (HttpLatheClient first = live.client(); HttpLatheClient second = live.client()) {
                var session = live.session(first);
                SessionId id = session.id();
                // as lathe run --allow-all sends it: the server answers tool asks, never a limit's
                first.prompt(id, new PromptRequest(List.of(new InputPart.Text("what is in notes.txt?")), Optional.empty(), Optional.empty(), true));

                PermissionRequest ask = awaitAsk(second, session.directory());
                assertThat(ask.sessionId()).isEqualTo(id);
                assertThat(ask.patterns()).containsExactly("limits.session.tokens");
                assertThat(ask.metadata()).containsEntry(BudgetAsks.SPENT, "session 6,020 tokens of 5,000 tokens");
                assertThat(first.status(id)).isEqualTo(SessionStatus.WAITING);
                assertThat(live.llm.requests()).hasSize(1);

                second.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
                live.awaitIdle(first, id);

                assertThat(live.llm.requests()).hasSize(2);
                MessageWithParts last = first.messages(id).getLast();
                assertThat(last.info()).isInstanceOfSatisfying(AssistantMessage.class, a -> {
                    assertThat(a.error()).isEmpty();
                    assertThat(a.finish()).contains("stop");
                });
                assertThat(second.permissions(session.directory())).isEmpty();
            }
        }
    }

    private static PermissionRequest awaitAsk(HttpLatheClient client, String directory) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var pending = client.permissions(directory);
            if (!pending.isEmpty()) return pending.getFirst();
            Thread.sleep(20);
        }
        throw new AssertionError("no ask");
    }
}
