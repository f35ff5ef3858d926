package dev.lathe.core.store;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Map;

/**
 * A whole session written at once: its row, its messages and their parts in one transaction, so a reader never sees
 * half of an imported or forked session. Ids are taken as given; one already stored anywhere refuses the lot.
 */
public interface TranscriptStore {
    /** What {@link #insertNew} did. */
    sealed interface Outcome {
        record Stored() implements Outcome {}

        /** Nothing was written: {@code what} (e.g. {@code session ses_…}) is already stored. */
        record Taken(String what) implements Outcome {}
    }

    /** An imported or otherwise new transcript: its messages are originals. */
    Outcome insertNew(Session session, List<MessageWithParts> messages);

    /**
     * A fork: {@code originals} names, for each copied message, the first original it copies, so stats count what the
     * copies cost once.
     */
    Outcome insertFork(Session fork, List<MessageWithParts> copies, Map<MessageId, MessageId> originals);

    /**
     * A transcript stored before, read again (an imported session whose source grew): the messages and parts not yet
     * stored are added, the stored parts take the transcript's newer state (a call that has its result now), and
     * nothing else is touched (messages added in Lathe since keep theirs). Returns how many messages were added.
     */
    int merge(Session session, List<MessageWithParts> messages);
}
