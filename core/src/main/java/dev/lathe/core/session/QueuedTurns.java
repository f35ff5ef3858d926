package dev.lathe.core.session;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.UserMessage;

/**
 * Takes up a prompt queued behind a turn ({@code "delivery": "queue"}, DESIGN §18 "Steering") once that turn ended: its
 * mark is removed (announced as a removed part), so it keeps its id and place in the transcript and becomes the prompt
 * of a turn of its own. The turn it waited behind may have written messages after it (its answer opened after the prompt
 * was stored, a Stop hook's feedback, a compaction): the model still reads it right before its own answer
 * ({@code ContextView}), and the turn that answers it does not take those for prompts of its own ({@link QueuedPrompts#joining}).
 */
final class QueuedTurns {
    private QueuedTurns() {}

    /** Removes {@code queued}'s mark; returns the prompt, now the one the next turn answers. */
    static UserMessage takeUp(SessionJournal journal, MessageWithParts queued) {
        for (Part p : queued.parts()) {
            if (p instanceof Part.Text t && t.synthetic() && t.text().equals(PromptQueued.TEXT)) journal.removePart(t);
        }
        return (UserMessage) queued.info();
    }
}
