package dev.lathe.core.session.history;

import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.turn.Compactor;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tools.builtin.FileReads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Revert, unrevert, undo and redo of one session (DESIGN §13). A revert restores every file the hidden messages'
 * patch parts name to the tree before the first patch that touched it, and keeps the files' state from before the
 * revert under a snapshot ref, so unrevert can put them back. Hidden messages stay stored until the next prompt.
 */
public final class Reverts {
    private final Journal journal;

    public Reverts(Journal journal) {
        this.journal = journal;
    }

    RevertResult revert(Session session, Snapshots snapshots, MessageId from) {
        List<MessageWithParts> history = journal.messages().bySession(session.id());
        if (history.stream().noneMatch(m -> m.info().id().equals(from))) {
            throw new LatheException.NotFound("no message " + from + " in session " + session.id());
        }
        Map<String, String> earliest = new LinkedHashMap<>();
        for (MessageWithParts m : history) {
            if (m.info().id().compareTo(from) < 0) continue;
            for (Part p : m.parts()) {
                if (p instanceof Part.Patch patch) for (String f : patch.files()) earliest.putIfAbsent(f, patch.snapshot());
            }
        }
        // all or nothing: a tree gc pruned would leave the files half restored
        for (String tree : new java.util.HashSet<>(earliest.values())) {
            if (!snapshots.has(tree)) throw new LatheException.Conflict("the snapshots of these messages were garbage-collected; their files cannot be restored");
        }
        if (session.revert().isEmpty()) {
            // the files as they are now, to come back to; kept alive under a ref until unrevert or the next prompt
            String now = snapshots.track().orElseThrow(() -> new LatheException.Conflict("snapshots are off for this project (is git installed?)"));
            snapshots.keep(refName(session), Optional.of(now));
        }
        earliest.forEach((file, tree) -> FileReads.shared().restored(session.id().value(), snapshots.restore(tree, List.of(file))));
        Session updated = session.withRevert(Optional.of(from), System.currentTimeMillis());
        journal.session(updated);
        return new RevertResult(updated, List.copyOf(earliest.keySet()));
    }

    RevertResult unrevert(Session session, Snapshots snapshots) {
        if (session.revert().isEmpty()) return new RevertResult(session, List.of());
        List<String> files = hiddenPatchFiles(session);
        Optional<String> saved = snapshots.kept(refName(session));
        saved.ifPresent(tree -> FileReads.shared().restored(session.id().value(), snapshots.restore(tree, files)));
        snapshots.keep(refName(session), Optional.empty());
        Session updated = session.withRevert(Optional.empty(), System.currentTimeMillis());
        journal.session(updated);
        return new RevertResult(updated, saved.isPresent() ? files : List.of());
    }

    /** The last turn: from the last user message still shown that the user sent (not one a compaction added). */
    RevertResult undo(Session session, Snapshots snapshots) {
        Optional<MessageId> lastUser = journal.messages().bySession(session.id()).stream()
                .filter(m -> m.info() instanceof UserMessage && !Compactor.isOwnMessage(m) && !MessageRewound.marks(m.parts()))
                .map(m -> m.info().id())
                .filter(id -> session.revert().map(r -> id.compareTo(r) < 0).orElse(true))
                .reduce((a, b) -> b);
        if (lastUser.isEmpty()) throw new LatheException.Conflict("nothing to undo in session " + session.id());
        return revert(session, snapshots, lastUser.get());
    }

    /** A prompt after a revert: the hidden messages go for good, and so does the way back. */
    public Session commit(Session session, Snapshots snapshots) {
        if (session.revert().isEmpty()) return session;
        journal.deleteFrom(session.id(), session.revert().get());
        snapshots.keep(refName(session), Optional.empty());
        Session updated = session.withRevert(Optional.empty(), System.currentTimeMillis());
        journal.session(updated);
        return updated;
    }

    /** Messages a client should see: those before the revert point. */
    public static List<MessageWithParts> visible(Session session, List<MessageWithParts> all) {
        if (session.revert().isEmpty()) return all;
        MessageId from = session.revert().get();
        return all.stream().filter(m -> m.info().id().compareTo(from) < 0).toList();
    }

    private List<String> hiddenPatchFiles(Session session) {
        MessageId from = session.revert().orElseThrow();
        return journal.messages().bySession(session.id()).stream()
                .filter(m -> m.info().id().compareTo(from) >= 0)
                .flatMap(m -> m.parts().stream())
                .filter(Part.Patch.class::isInstance)
                .flatMap(p -> ((Part.Patch) p).files().stream())
                .distinct().toList();
    }

    /** The ref that keeps the files' state from before a pending revert. */
    public static String refName(Session session) {
        return "unrevert/" + session.id().value();
    }
}
