package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt accepted while a turn runs says so (issue 42): {@code queued}, behind the answer being written, which reads
 * it at its next step boundary; a prompt to an idle session starts its own turn and says that.
 */
class PromptQueuedTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": \"allow\"}");
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aPromptSentWhileATurnRunsIsAnsweredAsQueuedBehindTheAnswerBeingWritten() throws Exception {
        live.llm.enqueue(Turn.of(Step.text("working"), Step.toolCall("call_1", "bash", "{\"command\": \"sleep 2; echo slept\"}"))
                .delayBetweenEvents(Duration.ofMillis(20)));
        live.llm.enqueue(Turn.of(Step.text("both handled")));
        try (HttpLatheClient client = live.client()) {
            SessionId id = live.session(client).id();
            PromptAccepted first = client.prompt(id, prompt("first"));
            assertThat(first.queued()).isFalse();
            assertThat(first.behind()).isEmpty();
            assertThat(live.llm.awaitRequests(1, Duration.ofSeconds(20))).isTrue();
            // steered: the running turn reads it at its next step (queue, the default, would wait for a turn of its own)
            PromptAccepted second = client.prompt(id, prompt("second, while it works").delivered(dev.lathe.protocol.api.Delivery.steer));
            assertThat(second.queued()).as("queued into the running turn").isTrue();
            live.awaitIdle(client, id);
            var answer = client.messages(id).stream().filter(m -> m.info() instanceof AssistantMessage).findFirst().orElseThrow();
            assertThat(second.behind()).as("behind the answer being written").contains(answer.info().id());
            assertThat(live.llm.requests()).hasSize(2);
            assertThat(live.llm.requests().get(1).body()).contains("second, while it works");
        }
    }

    private static PromptRequest prompt(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }
}
