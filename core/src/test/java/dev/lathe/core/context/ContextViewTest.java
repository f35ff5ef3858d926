package dev.lathe.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order the model reads a history in (docs/steering.md: a prompt queued behind a turn). */
class ContextViewTest {
    private final SessionId session = SessionId.next();

    private UserMessage user() {
        return new UserMessage(MessageId.next(), session, 1, "build", "a/b");
    }

    private AssistantMessage answer(UserMessage parent) {
        return new AssistantMessage(MessageId.next(), session, parent.id(), "build", "a/b", 2, Optional.of(3L), Optional.empty(), Optional.empty(),
                Usage.ZERO, 0);
    }

    private static List<MessageWithParts> history(Message... messages) {
        return java.util.Arrays.stream(messages).map(m -> new MessageWithParts(m, List.of())).toList();
    }

    private static List<MessageId> ids(List<MessageWithParts> messages) {
        return messages.stream().map(m -> m.info().id()).toList();
    }

    @Test
    void aPromptAnsweredAfterAnotherAnswerIsReadRightBeforeItsOwn() {
        UserMessage first = user();
        AssistantMessage firstAnswer = answer(first);
        UserMessage queued = user();
        UserMessage feedback = user();
        AssistantMessage feedbackAnswer = answer(feedback);
        AssistantMessage queuedAnswer = answer(queued);
        var stored = history(first, firstAnswer, queued, feedback, feedbackAnswer, queuedAnswer);
        assertThat(ids(ContextView.of(stored).messages())).containsExactly(first.id(), firstAnswer.id(), feedback.id(), feedbackAnswer.id(), queued.id(),
                queuedAnswer.id());
    }

    @Test
    void promptsThatJoinedATurnOrGotNoAnswerOfTheirOwnKeepTheirPlace() {
        UserMessage first = user();
        UserMessage joined = user();
        AssistantMessage answer = answer(first);
        UserMessage glued = user();
        UserMessage last = user();
        AssistantMessage lastAnswer = answer(last);
        var stored = history(first, joined, answer, glued, last, lastAnswer);
        assertThat(ContextView.answeredInPlace(stored)).isSameAs(stored);
    }
}
