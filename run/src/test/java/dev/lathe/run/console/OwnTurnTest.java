package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A {@code lathe run} sees the whole session's events; {@link OwnTurn} keeps those of its own turn (issue 71, minor 15):
 * not the end of the turn its prompt interrupted or waited behind, not a prompt someone queued behind it.
 */
class OwnTurnTest {
    private static final SessionId S = new SessionId("ses_own");

    @Test
    void anInterruptingPromptLeavesOutTheStoppedTurnAndSaysItStopped() {
        var turn = new OwnTurn(false);
        MessageId stopped = MessageId.next();
        // the stopped turn's last events arrive before the prompt is stored, and before its id is known
        Event stoppedCall = text(stopped, "✗ bash Command aborted by the user.");
        Event stoppedAnswer = answer(stopped, MessageId.next(), Optional.of(new MessageError("aborted", "aborted by the user")));
        assertThat(turn.ours(stoppedCall)).isFalse();
        assertThat(turn.ours(stoppedAnswer)).isFalse();
        assertThat(OwnTurn.aborted(stoppedAnswer)).isTrue();
        assertThat(turn.ours(new Event.SessionStatusChanged(S, SessionStatus.IDLE))).as("a session-wide event").isTrue();

        MessageId prompt = MessageId.next();
        assertThat(turn.ours(prompted(prompt))).isTrue();
        MessageId own = MessageId.next();
        assertThat(turn.ours(answer(own, prompt, Optional.empty()))).isTrue();
        assertThat(turn.ours(text(own, "Doing the other thing."))).isTrue();
        turn.prompted(prompt);
        // a late event of the stopped turn stays its
        assertThat(turn.ours(text(stopped, "late"))).isFalse();
        turn.end();
        assertThat(turn.ours(text(own, "after the end"))).isFalse();
    }

    @Test
    void aPromptQueuedBehindTheRunsTurnEndsItWhenTakenUp() {
        var turn = new OwnTurn(false);
        MessageId prompt = MessageId.next();
        turn.prompted(prompt);
        assertThat(turn.ours(prompted(prompt))).isTrue();
        MessageId own = MessageId.next();
        assertThat(turn.ours(answer(own, prompt, Optional.empty()))).isTrue();
        MessageId queued = MessageId.next();
        Event queuedPrompt = prompted(queued);
        Event queuedText = text(queued, "and then this");
        var mark = new Part.Text(PartId.next(), S, queued, PromptQueued.TEXT, true);
        assertThat(turn.ours(queuedPrompt)).isTrue();
        assertThat(turn.othersPrompt(queuedPrompt)).as("no new start of the run's totals").isTrue();
        assertThat(turn.othersPrompt(queuedText)).as("its text is no answer of the run's").isTrue();
        assertThat(turn.ours(new Event.PartUpdated(mark))).isFalse();
        assertThat(turn.ours(text(own, "Done."))).isTrue();
        assertThat(turn.othersPrompt(text(own, "Done."))).isFalse();

        assertThat(turn.nextTurnStarted(new Event.PartRemoved(S, queued, PartId.next()))).as("another part").isFalse();
        assertThat(turn.nextTurnStarted(new Event.PartRemoved(S, queued, mark.id()))).isTrue();
        assertThat(turn.ours(answer(MessageId.next(), queued, Optional.empty()))).isFalse();
    }

    @Test
    void aPromptQueuedBehindATurnLeavesOutThatTurnAndAnAnswerToAnOlderPrompt() {
        var turn = new OwnTurn(false);
        MessageId running = MessageId.next();
        MessageId steered = MessageId.next();
        MessageId prompt = MessageId.next();
        turn.prompted(prompt);
        assertThat(turn.ours(text(running, "the running turn's text"))).isFalse();
        assertThat(turn.ours(prompted(prompt))).isTrue();
        // the running turn goes on in a new answer (to a prompt steered into it) made after this prompt was stored
        MessageId late = MessageId.next();
        assertThat(turn.ours(answer(late, steered, Optional.empty()))).isFalse();
        assertThat(turn.ours(text(late, "Done, and noted."))).isFalse();
        MessageId own = MessageId.next();
        assertThat(turn.ours(answer(own, prompt, Optional.empty()))).isTrue();
    }

    @Test
    void aSteeredPromptJoinsTheRunningTurn() {
        var turn = new OwnTurn(true);
        MessageId running = MessageId.next();
        assertThat(turn.ours(text(running, "the running turn, now the run's too"))).isTrue();
    }

    private static Event prompted(MessageId id) {
        return new Event.MessageUpdated(new UserMessage(id, S, 0, "build", "fake/m"));
    }

    private static Event answer(MessageId id, MessageId parent, Optional<MessageError> error) {
        return new Event.MessageUpdated(new AssistantMessage(id, S, parent, "build", "fake/m", 0, Optional.empty(), Optional.empty(), error,
                Usage.ZERO, 0));
    }

    private static Event text(MessageId message, String text) {
        return new Event.PartUpdated(new Part.Text(PartId.next(), S, message, text, false));
    }
}
