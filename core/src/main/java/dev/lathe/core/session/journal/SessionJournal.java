package dev.lathe.core.session.journal;

import dev.lathe.core.ask.AskNotices;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;

/**
 * The {@link Journal} of one session ({@link Journal#of}): every write a turn, a compaction, a hook or an ask makes
 * for the session, persisted then announced on the bus of the session's directory. The view holds the session's id
 * and directory as they were when it was bound, so no caller passes a directory beside the session (the journal's
 * writes that announce are reachable only through it). Cheap: bind one where the session is at hand.
 */
public sealed interface SessionJournal extends AskNotices, StepParts permits Journal.Bound {
    /** The session this view writes for. */
    SessionId id();

    /** Deletes one message of the session with its parts and announces it as removed. */
    void removeMessage(MessageId message);

    /** A user message with its parts, written in one transaction, then announced message first. */
    void user(UserMessage message, List<Part> parts);

    /** Marks {@code queued} (prompts nothing answered) not run, one by one. */
    void markNotRun(List<MessageId> queued);

    void assistant(AssistantMessage message);

    /** Writes a running answer's usage and cost without waiting for the commit, and announces it once committed. */
    void assistantBehind(AssistantMessage running);

    /** The session's messages as the turn loop must see them ({@link Journal#history}). */
    List<MessageWithParts> history();

    /** The messages after {@code message}, in the store's order: {@link #history()}'s tail, without reading the rest. */
    List<MessageWithParts> historyAfter(MessageId message);
}
