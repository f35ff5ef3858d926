package dev.lathe.core.session.journal;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.session.Part;
import java.util.concurrent.CompletableFuture;

/**
 * Where a model step's parts go as it streams ({@link dev.lathe.core.session.turn.StepStream}, {@link dev.lathe.core.session.turn.StepLoop}): in a turn the session's journal
 * ({@link SessionJournal} is one), in a test a list. The step loop knows nothing else of the store.
 */
public interface StepParts {
    /** Writes a part and announces it once committed ({@link Journal}'s persist-then-announce). */
    void part(Part part);

    /** Writes a part without announcing it: a streaming part's text between flushes, already announced as deltas. */
    void partUnannounced(Part part);

    /** Writes a part without waiting for the commit and announces it once committed (see {@link Journal}). */
    CompletableFuture<Void> partBehind(Part part);

    /** Deletes a part and announces it as removed. */
    void removePart(Part part);

    /** Appends a text increment to a streaming part and announces it with its offset, without writing it. */
    void delta(MessageId message, PartId part, LiveText text, String delta);
}
