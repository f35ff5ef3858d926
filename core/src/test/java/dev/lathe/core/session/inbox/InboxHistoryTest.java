package dev.lathe.core.session.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.runner.RunnerSeams;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Prompts sent while a turn runs, found in the history it reads (DESIGN §8). */
class InboxHistoryTest {
    private final SessionId session = SessionId.next();

    private UserMessage user(String agent) {
        return new UserMessage(MessageId.next(), session, 1, agent, "a/b");
    }

    private AssistantMessage answer(MessageId parent) {
        return new AssistantMessage(MessageId.next(), session, parent, "build", "a/b", 2, Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    }

    private static List<MessageWithParts> history(Object... messages) {
        return java.util.Arrays.stream(messages)
                .map(m -> new MessageWithParts((dev.lathe.protocol.session.Message) m, List.of())).toList();
    }

    @Test
    void aPromptStoredAfterTheAnswerWasOpenedIsTheNextToAnswerWithItsAgent() {
        UserMessage first = user("build");
        AssistantMessage answer = answer(first.id());
        UserMessage queued = user("plan");
        assertThat(InboxHistory.newer(history(first, answer, queued), answer.id())).contains(queued);
        assertThat(InboxHistory.newer(history(first, answer), answer.id())).isEmpty();
    }

    @Test
    void onlyTheNewestPromptCountsAndOnlyWhenItIsNewerThanTheAnswer() {
        UserMessage first = user("build");
        UserMessage second = user("build");
        AssistantMessage answer = answer(first.id());
        assertThat(InboxHistory.newer(history(first, second, answer), answer.id())).as("it sorts before the answer: it joins instead").isEmpty();
        UserMessage third = user("build");
        UserMessage fourth = user("build");
        assertThat(InboxHistory.newer(history(first, answer, third, fourth), answer.id())).contains(fourth);
    }

    @Test
    void promptsBetweenTheTurnsOwnAndItsAnswerJoinIt() {
        UserMessage first = user("build");
        UserMessage second = user("build");
        UserMessage third = user("build");
        AssistantMessage answer = answer(first.id());
        UserMessage later = user("build");
        assertThat(InboxHistory.joining(history(first, second, third, answer, later), first.id(), answer.id())).containsExactly(second, third);
        assertThat(InboxHistory.joining(history(first, answer), first.id(), answer.id())).isEmpty();
    }

    private static MessageWithParts marked(UserMessage u, String... marks) {
        List<Part> parts = new java.util.ArrayList<>(List.of(new Part.Text(PartId.next(), u.sessionId(), u.id(), "x", false)));
        for (String mark : marks) parts.add(new Part.Text(PartId.next(), u.sessionId(), u.id(), mark, true));
        return new MessageWithParts(u, parts);
    }

    @Test
    void aPromptQueuedBehindTheTurnNeitherJoinsItNorIsTheNextToAnswerUntilTheTurnEnds() {
        UserMessage first = user("build");
        UserMessage early = user("build");
        AssistantMessage answer = answer(first.id());
        UserMessage steered = user("build");
        UserMessage queued = user("build");
        var plain = history(first, answer, steered);
        List<MessageWithParts> withQueued = new java.util.ArrayList<>(plain);
        withQueued.add(marked(queued, PromptQueued.TEXT));
        assertThat(InboxHistory.newer(withQueued, answer.id())).as("the steered one before it answers next").contains(steered);
        assertThat(InboxHistory.newer(List.of(withQueued.get(0), withQueued.get(1), withQueued.get(3)), answer.id())).isEmpty();
        var joining = List.of(new MessageWithParts(first, List.of()), marked(early, PromptQueued.TEXT), new MessageWithParts(answer, List.of()));
        assertThat(InboxHistory.joining(joining, first.id(), answer.id())).isEmpty();
        assertThat(InboxHistory.firstQueued(withQueued)).hasValueSatisfying(m -> assertThat(m.info()).isEqualTo(queued));
        assertThat(InboxHistory.firstQueued(List.of(marked(queued, PromptQueued.TEXT, PromptNotRun.TEXT)))).as("an abort left it not run").isEmpty();
        assertThat(RunnerSeams.unanswered(withQueued)).as("answered after the turn, as a turn of its own").contains(steered);
        assertThat(RunnerSeams.unanswered(List.of(withQueued.get(0), withQueued.get(1), withQueued.get(3)))).isEmpty();
    }

    @Test
    void aQueuedPromptTakenUpLateDoesNotTakeTheMessagesOfTheTurnBeforeItForItsOwn() {
        UserMessage queued = user("build");
        UserMessage feedback = user("build");
        AssistantMessage feedbackAnswer = answer(feedback.id());
        UserMessage steered = user("build");
        AssistantMessage answer = answer(queued.id());
        assertThat(InboxHistory.joining(history(queued, feedback, feedbackAnswer, answer), queued.id(), answer.id())).isEmpty();
        assertThat(InboxHistory.joining(history(queued, feedback, feedbackAnswer, steered, answer), queued.id(), answer.id())).containsExactly(steered);
    }
}
