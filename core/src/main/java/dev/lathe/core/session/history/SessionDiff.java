package dev.lathe.core.session.history;

import dev.lathe.core.snapshot.SnapshotException;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files a session (or its current or last turn) changed, from before its first change to now (decision 590). Each
 * patch part records the tree before its step and the files the step changed; a file's "before" is the tree before the
 * first patch of the scope that touched it, its "after" is the project as it is now (so a file put back by a revert,
 * or changed back by hand, drops out). While a turn runs, the step under way has no patch part yet: the files changed
 * since the tree after the last finished step are its own, so the diff shows an edit as soon as it lands.
 */
public final class SessionDiff {
    private SessionDiff() {}

    /** Whether a turn of the session runs now: only then is a change since its last finished step the turn's own. */
    public enum Turn { RUNNING, ENDED }

    /** Everything the session changed, unpaged; empty when it changed nothing or snapshots are off. */
    public static List<FileDiff> of(List<MessageWithParts> history, Snapshots snapshots) {
        return of(history, snapshots, DiffQuery.SESSION, Turn.ENDED).files();
    }

    /**
     * The page {@code query} asks of the turn's or the session's changes ({@link DiffScope#TURN} or {@link
     * DiffScope#SESSION}); 409 when gc pruned a tree it needs.
     */
    public static DiffPage of(List<MessageWithParts> history, Snapshots snapshots, DiffQuery query, Turn turn) {
        List<MessageWithParts> scoped = query.scope() == DiffScope.TURN ? lastTurn(history) : history;
        Map<String, String> before = new LinkedHashMap<>();
        for (MessageWithParts m : scoped) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Patch patch) for (String f : patch.files()) before.putIfAbsent(f, patch.snapshot());
            }
        }
        Optional<String> stepBase = turn == Turn.RUNNING ? lastFinishedTree(history) : Optional.empty();
        if (before.isEmpty() && stepBase.isEmpty()) return new DiffPage(List.of(), false);
        Optional<String> now = snapshots.track();
        if (now.isEmpty()) return new DiffPage(List.of(), false);
        try {
            if (stepBase.isPresent() && snapshots.has(stepBase.get())) {
                for (String f : snapshots.changed(stepBase.get(), now.get())) before.putIfAbsent(f, stepBase.get());
            }
            var window = DiffPage.window(new ArrayList<>(new TreeMap<>(before).keySet()), query.limit(), query.after());
            Map<String, List<String>> byTree = new LinkedHashMap<>();
            for (String file : window.paths()) byTree.computeIfAbsent(before.get(file), _ -> new ArrayList<>()).add(file);
            for (String tree : byTree.keySet()) {
                if (!snapshots.has(tree)) throw new LatheException.Conflict("the snapshots of this session were garbage-collected; its changes cannot be shown");
            }
            List<FileDiff> out = new ArrayList<>();
            byTree.forEach((tree, files) -> out.addAll(snapshots.diff(tree, now.get(), files)));
            out.sort(Comparator.comparing(FileDiff::path));
            return new DiffPage(out, window.more());
        } catch (SnapshotException e) {
            throw new LatheException.Unavailable("snapshot_failed", "cannot diff the session's changes: " + e.getMessage());
        }
    }

    /** The messages from the last user message on: the turn running now, or the last one. */
    private static List<MessageWithParts> lastTurn(List<MessageWithParts> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).info() instanceof UserMessage) return history.subList(i, history.size());
        }
        return List.of();
    }

    /** The tree after the session's last finished step that recorded one. */
    private static Optional<String> lastFinishedTree(List<MessageWithParts> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            List<Part> parts = history.get(i).parts();
            for (int j = parts.size() - 1; j >= 0; j--) {
                if (parts.get(j) instanceof Part.StepFinish finish && finish.snapshot().isPresent()) return finish.snapshot();
            }
        }
        return Optional.empty();
    }
}
