package dev.lathe.core.session.turn;

import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.core.snapshot.SnapshotException;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.session.Part;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The project's tree around a turn's steps, for undo (DESIGN §10): the tree before each step, taken while the model
 * thinks, and after a step that may have changed files, taken while the next request goes out; then the tree in the
 * step's finish and the files the step changed as a patch part. A step that only looked (read, grep, …) leaves the
 * tree as it was: no git run at all. The turn waits for the records ({@link #settle}) before it ends or compacts.
 */
final class StepSnapshots {
    private static final System.Logger LOG = System.getLogger(StepSnapshots.class.getName());

    private final Snapshots snapshots;
    private final SessionJournal journal;
    /** The tree as the next step starts: taken again after every step that may have changed files. */
    private CompletableFuture<Optional<String>> now;
    /** Patch records of this turn's steps still being written. */
    private CompletableFuture<Void> recording = CompletableFuture.completedFuture(null);

    /** Starts taking the tree as the turn starts, for its first step: the first edit (which waits for it) rarely does. */
    StepSnapshots(Snapshots snapshots, SessionJournal journal) {
        this.snapshots = snapshots;
        this.journal = journal;
        this.now = track();
    }

    /** The tree before the next step; a call that may change files waits for it before it runs. */
    CompletableFuture<Optional<String>> beforeStep() {
        return now;
    }

    /**
     * A step ended: after one that may have changed files ({@code mayChangeFiles}), the tree is taken again (just the
     * files its edit tools wrote, when {@code changedFiles} says that is all that changed). The patch's id is taken now,
     * so it sorts before the step's finish, written next.
     */
    Taken stepEnded(boolean mayChangeFiles, Optional<Set<Path>> changedFiles) {
        PartId patchId = PartId.next();
        CompletableFuture<Optional<String>> before = now;
        Optional<Optional<String>> treeBefore = mayChangeFiles ? Optional.of(before.join()) : Optional.empty();
        now = treeBefore.isPresent() ? trackAfter(changedFiles) : before;
        return new Taken(patchId, treeBefore, now);
    }

    /**
     * What a step's end started: the patch part's id, the tree before the step when it may have changed files, and the
     * tree after it (being taken).
     */
    record Taken(PartId patchId, Optional<Optional<String>> before, CompletableFuture<Optional<String>> after) {
        /** The tree after the step if already known: the step's finish carries it then. */
        Optional<String> treeIfKnown() {
            return after.getNow(Optional.empty());
        }
    }

    /**
     * Once the tree after a step is known: its snapshot in the step's finish when that was written without it and, after
     * a step that may have changed files, the files its tools changed as a patch part naming the tree before them.
     */
    void record(Taken taken, Part.StepFinish finish) {
        if (taken.before().isEmpty() && finish.snapshot().isPresent()) return;
        // on a thread of its own: a caller waiting for the tree (the next step's first edit) would otherwise run it
        CompletableFuture<Void> record = taken.after().thenAcceptAsync(tree -> {
            if (tree.isEmpty()) return;
            if (finish.snapshot().isEmpty()) {
                journal.part(finish.withSnapshot(tree.get()));
            }
            if (taken.before().isEmpty() || taken.before().get().isEmpty()) return;
            String from = taken.before().get().get();
            List<String> files;
            try {
                files = snapshots.changed(from, tree.get());
            } catch (SnapshotException e) {
                // undo is a convenience: losing one step's record must not fail the turn
                LOG.log(System.Logger.Level.WARNING, "cannot list the files a step changed: " + e.getMessage());
                return;
            }
            if (!files.isEmpty()) journal.part(new Part.Patch(taken.patchId(), finish.sessionId(), finish.messageId(), from, files));
        }, command -> Thread.ofVirtual().start(command)).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "cannot record the files a step changed: " + e.getMessage());
            return null;
        });
        recording = CompletableFuture.allOf(recording, record);
    }

    /** Waits until the patch records of earlier steps are written: the history is whole again. */
    void settle() {
        // the tree taken for a step that never came (a turn refused before its first request) too: its git run would
        // otherwise go on writing the snapshot folder after the turn, and the session, had ended
        now.handle((tree, error) -> null).join();
        recording.join();
    }

    private CompletableFuture<Optional<String>> track() {
        return CompletableFuture.supplyAsync(snapshots::track, Thread.ofVirtual()::start);
    }

    private CompletableFuture<Optional<String>> trackAfter(Optional<Set<Path>> changed) {
        if (changed.isEmpty()) return track();
        return CompletableFuture.supplyAsync(() -> snapshots.trackChanged(changed.get()), Thread.ofVirtual()::start);
    }
}
