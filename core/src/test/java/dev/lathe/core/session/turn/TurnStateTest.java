package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmError;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Usage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The turn's bookkeeping, without a turn. */
class TurnStateTest {
    private static AssistantMessage message() {
        return new AssistantMessage(MessageId.next(), SessionId.next(), MessageId.next(), "build", "a/b", 1, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0);
    }

    @Test
    void usageAndCostAddUpPerMessageAndStartOverWithTheNext() {
        var state = new TurnState(null, null);
        state.writing(message());
        state.spent(new Usage(10, 2, 0, 5, 0), 30);
        state.spent(new Usage(1, 1, 0, 0, 0), 12);
        assertThat(state.total()).isEqualTo(new Usage(11, 3, 0, 5, 0));
        assertThat(state.cost()).isEqualTo(42);
        state.writing(message());
        assertThat(state.total()).isEqualTo(Usage.ZERO);
        assertThat(state.cost()).isZero();
    }

    @Test
    void retriesCountAttemptsAndWaitsUntilAStepGoesThrough() {
        var state = new TurnState(null, null);
        var error = new LlmError.Transport("reset");
        state.retrying(2, Duration.ofSeconds(1));
        state.retrying(3, Duration.ofSeconds(2));
        assertThat(state.failed(error, true)).isEqualTo(new FailedStep(error, 3, Duration.ofSeconds(3), 0, true));
        state.freshAttempts();
        assertThat(state.mayCompact()).isTrue();
        state.compacted();
        assertThat(state.failed(error, false)).isEqualTo(new FailedStep(error, 1, Duration.ZERO, 1, false));
        assertThat(state.mayCompact()).as("one compaction per turn").isFalse();
    }

    @Test
    void invalidStepsAreCountedInARowUntilAValidOne() {
        var state = new TurnState(null, null);
        assertThat(state.invalidStep()).isEqualTo(1);
        assertThat(state.invalidStep()).isEqualTo(2);
        state.validStep();
        assertThat(state.invalidStep()).isEqualTo(1);
    }

    @Test
    void aPromptIsAnsweredOnceAndOneAskingForAllowAllKeepsItForTheRestOfTheTurn() {
        var state = new TurnState(null, null);
        MessageId first = MessageId.next();
        MessageId second = MessageId.next();
        assertThat(state.answering(first, false)).isTrue();
        assertThat(state.allowAll()).isFalse();
        assertThat(state.answering(second, true)).isTrue();
        assertThat(state.answering(first, false)).isFalse();
        assertThat(state.allowAll()).isTrue();
        assertThat(state.prompts()).containsExactly(first, second);
        assertThat(state.firstPrompt()).isEqualTo(first);
    }
}
