package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;

/**
 * Start-up repair after a crash (DESIGN §4): tool parts left pending or running become failed("interrupted"), and
 * assistant messages left open are closed with an interrupted error, so every session accepts prompts again. What a
 * closed answer's steps cost before the crash goes into the message and its session's totals
 * ({@link MessageStore#closeInterrupted}): a turn adds them only when it ends, so without this a crash mid-turn would
 * take that spend off {@code /stats} and the spend limits.
 */
public final class Recovery {
    private Recovery() {}

    /** Returns how many parts and messages were repaired. */
    public static int repair(MessageStore messages) {
        return repair(messages, _ -> true);
    }

    /**
     * The same for the sessions {@code which} accepts only: a team server's node that takes over a dead node's session
     * (DESIGN §20) closes what that node left running there, and nothing of the sessions other nodes run.
     */
    public static int repair(MessageStore messages, java.util.function.Predicate<SessionId> which) {
        return repair(messages, which, MessageError.interrupted());
    }

    /** The same, closing open answers with {@code error}: why they were left open. */
    public static int repair(MessageStore messages, java.util.function.Predicate<SessionId> which, MessageError error) {
        long now = System.currentTimeMillis();
        int repaired = 0;
        for (Part.Tool tool : messages.openToolParts()) {
            if (!which.test(tool.sessionId())) continue;
            long started = tool.state() instanceof ToolState.Running r ? r.startedAt() : now;
            messages.upsertPart(tool.withState(new ToolState.Failed(tool.input(), "interrupted", started, now, tool.state().display())));
            repaired++;
        }
        for (AssistantMessage open : messages.openAssistantMessages()) {
            if (!which.test(open.sessionId())) continue;
            messages.closeInterrupted(open, now, error);
            repaired++;
        }
        return repaired;
    }
}
