package dev.lathe.core.session.inbox;

import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.ProcessNote;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a session's history says of its inbox ({@link Inbox}, decision 521): the arrivals delivered while a turn runs
 * (DESIGN §8), found in the history the turn reads at each step boundary, no store query of their own. Only steered
 * prompts (and children's results, teammates' messages) join the running turn: one queued behind it
 * ({@link PromptQueued}) waits for its own turn ({@link #firstQueued}, {@link #takeUp}), and one an abort left not run
 * is never answered.
 */
public final class InboxHistory {
    private InboxHistory() {}

    /**
     * The session's newest user message when it is newer than {@code answer}: a prompt stored after the answer was
     * opened, which the turn answers next with a new assistant message.
     */
    public static Optional<UserMessage> newer(List<MessageWithParts> history, MessageId answer) {
        for (MessageWithParts m : history.reversed()) {
            if (!(m.info() instanceof UserMessage u) || waits(m)) continue;
            return u.id().compareTo(answer) > 0 ? Optional.of(u) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether the user steered a prompt into the turn after {@code answer} was opened: a newer user message that is no
     * background task's result ({@link TaskResult}) and no teammate's message ({@code AgentMessage}). A task's result joins the turn at its next step boundary too, but
     * the calls of the step the model asked for still run: the user said nothing that could change them.
     */
    public static boolean steered(List<MessageWithParts> history, MessageId answer) {
        for (MessageWithParts m : history.reversed()) {
            if (!(m.info() instanceof UserMessage u) || waits(m)) continue;
            if (u.id().compareTo(answer) <= 0) return false;
            if (!TaskResult.marks(m.parts()) && !AgentMessage.marks(m.parts()) && !ProcessNote.marks(m.parts())) return true;
        }
        return false;
    }

    /** The oldest prompt queued behind a turn and not taken up yet, which the runner answers next as a turn of its own. */
    public static Optional<MessageWithParts> firstQueued(List<MessageWithParts> history) {
        for (MessageWithParts m : history) {
            if (stillQueued(m)) return Optional.of(m);
        }
        return Optional.empty();
    }

    /** A prompt queued behind a turn that is neither taken up yet nor left not run by an abort. */
    public static boolean stillQueued(MessageWithParts m) {
        return m.info() instanceof UserMessage && PromptQueued.marks(m.parts()) && !PromptNotRun.marks(m.parts());
    }

    /** A prompt that does not join a running turn: queued behind it, or left not run by an abort. */
    public static boolean waits(MessageWithParts m) {
        return PromptQueued.marks(m.parts()) || PromptNotRun.marks(m.parts());
    }

    /**
     * Prompts stored after the turn took its own ({@code first}) but before its answer was opened: they sort before that
     * answer, so the request shows them to the model, and the turn answers them as well. Only those after the last answer
     * in between: a queued prompt taken up late ({@link #takeUp}) sorts before messages the turn it waited behind
     * wrote (a Stop hook's feedback and its answer), which are answered already.
     */
    public static List<UserMessage> joining(List<MessageWithParts> history, MessageId first, MessageId answer) {
        List<UserMessage> out = new ArrayList<>();
        for (MessageWithParts m : history) {
            if (m.info().id().compareTo(first) <= 0 || m.info().id().compareTo(answer) >= 0) continue;
            if (m.info() instanceof UserMessage u && !waits(m)) out.add(u);
            if (m.info() instanceof AssistantMessage) out.clear();
        }
        return out;
    }

    /**
     * Takes up a prompt queued behind a turn ({@code "delivery": "queue"}, DESIGN §18 "Steering") once that turn ended:
     * its mark is removed (announced as a removed part), so it keeps its id and place in the transcript and becomes the
     * prompt of a turn of its own. The turn it waited behind may have written messages after it (its answer opened after
     * the prompt was stored, a Stop hook's feedback, a compaction): the model still reads it right before its own answer
     * ({@code ContextView}), and the turn that answers it does not take those for prompts of its own ({@link #joining}).
     * Returns the prompt, now the one the next turn answers.
     */
    public static UserMessage takeUp(SessionJournal journal, MessageWithParts queued) {
        for (Part p : queued.parts()) {
            if (p instanceof Part.Text t && t.synthetic() && t.text().equals(PromptQueued.TEXT)) journal.removePart(t);
        }
        return (UserMessage) queued.info();
    }
}
