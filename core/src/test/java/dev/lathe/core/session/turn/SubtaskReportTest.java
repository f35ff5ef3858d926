package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a background task reports to its parent when it ends (issue 57): a team member's final answer, also when a
 * teammate's message reached its session after that answer and before the report was read (it was "the agent finished
 * without a final message" then, met walking docs/teams.md's example). A prompt after the answer still means no answer.
 */
class SubtaskReportTest {
    private final SessionId session = SessionId.next();

    private MessageWithParts user(String text, boolean fromTeammate) {
        var m = new UserMessage(MessageId.next(), session, 1, "general", "a/b");
        List<Part> parts = fromTeammate
                ? List.of(new Part.Text(PartId.next(), session, m.id(), AgentMessage.text("lead", text), false),
                        new Part.Text(PartId.next(), session, m.id(), AgentMessage.TEXT, true))
                : List.of(new Part.Text(PartId.next(), session, m.id(), text, false));
        return new MessageWithParts(m, parts);
    }

    private MessageWithParts answer(String text) {
        var m = new AssistantMessage(MessageId.next(), session, MessageId.next(), "general", "a/b", 2, Optional.of(3L), Optional.of("stop"),
                Optional.empty(), Usage.ZERO, 0);
        return new MessageWithParts(m, List.of(new Part.Text(PartId.next(), session, m.id(), text, false)));
    }

    @Test
    void aTeammatesMessageAfterTheAnswerDoesNotHideIt() {
        var history = List.of(user("[role] review", false), answer("REVIEWER: waiting for fixer."), user("I changed dateparse.py", true),
                user("The tasks are up", true));
        assertThat(Subtasks.finalText(history)).contains("REVIEWER: waiting for fixer.");
    }

    @Test
    void aPromptAfterTheAnswerStillMeansNoFinalAnswer() {
        assertThat(Subtasks.finalText(List.of(user("do it", false), answer("done"), user("and now this", false)))).isEmpty();
        // a teammate's message before the last prompt is no answer either
        assertThat(Subtasks.finalText(List.of(answer("done"), user("from ana", true), user("and now this", false)))).isEmpty();
    }
}
