package dev.lathe.core.imports;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way a session comes to exist: its row, with whatever messages and parts it starts with, written in one
 * transaction, then announced ({@code session.created}) once stored — never announced when nothing was written. A new
 * session and a subagent's child start empty; an import (another harness's history, a Lathe export read back) and a
 * fork start with their transcript. Persist, then announce, as the journal does for a running session's writes.
 */
public final class NewSessions {
    /** What a new session starts with. */
    public sealed interface Contents {
        /** No messages yet: a session a client or a {@code task} call creates. */
        record Empty() implements Contents {}

        /** An imported transcript: its messages are originals. */
        record Originals(List<MessageWithParts> messages) implements Contents {}

        /** A fork's copies; {@code originals} names, for each copy, the first original it copies (stats count it once). */
        record Copies(List<MessageWithParts> copies, Map<MessageId, MessageId> originals) implements Contents {}
    }

    public static final Contents EMPTY = new Contents.Empty();

    private final SessionStore sessions;
    private final TranscriptStore transcripts;
    private final EventBus bus;

    public NewSessions(SessionStore sessions, TranscriptStore transcripts, EventBus bus) {
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.bus = bus;
    }

    /**
     * Writes {@code session} with {@code contents} and announces it. A transcript whose session, message or part id is
     * stored already is refused whole ({@link TranscriptStore.Outcome.Taken}) and announces nothing; an empty session's
     * row is written as the store writes any new session's.
     */
    public TranscriptStore.Outcome insert(Session session, Contents contents) {
        TranscriptStore.Outcome outcome = switch (contents) {
            case Contents.Empty _ -> {
                sessions.insert(session);
                yield new TranscriptStore.Outcome.Stored();
            }
            case Contents.Originals o -> transcripts.insertNew(session, o.messages());
            case Contents.Copies c -> transcripts.insertFork(session, c.copies(), c.originals());
        };
        if (outcome instanceof TranscriptStore.Outcome.Stored) bus.publish(Optional.of(session.directory()), new Event.SessionCreated(session));
        return outcome;
    }
}
