package dev.lathe.core.session.history;

import dev.lathe.core.snapshot.SnapshotException;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a session changed, from before its first change to now. Each patch part records the tree before its step
 * and the files the step changed; a file's "before" is the tree before the first patch that touched it, its "after"
 * is the project as it is now (so a file put back by a revert, or changed back by hand, drops out).
 */
public final class SessionDiff {
    private SessionDiff() {}

    /** Empty when the session changed nothing or snapshots are off; 409 when gc pruned a tree it needs. */
    public static List<FileDiff> of(List<MessageWithParts> history, Snapshots snapshots) {
        Map<String, String> before = new LinkedHashMap<>();
        for (MessageWithParts m : history) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Patch patch) for (String f : patch.files()) before.putIfAbsent(f, patch.snapshot());
            }
        }
        if (before.isEmpty()) return List.of();
        Optional<String> now = snapshots.track();
        if (now.isEmpty()) return List.of();
        Map<String, List<String>> byTree = new LinkedHashMap<>();
        before.forEach((file, tree) -> byTree.computeIfAbsent(tree, _ -> new ArrayList<>()).add(file));
        for (String tree : byTree.keySet()) {
            if (!snapshots.has(tree)) throw new LatheException.Conflict("the snapshots of this session were garbage-collected; its changes cannot be shown");
        }
        List<FileDiff> out = new ArrayList<>();
        try {
            byTree.forEach((tree, files) -> out.addAll(snapshots.diff(tree, now.get(), files)));
        } catch (SnapshotException e) {
            throw new LatheException.Unavailable("snapshot_failed", "cannot diff the session's changes: " + e.getMessage());
        }
        out.sort(Comparator.comparing(FileDiff::path));
        return out;
    }
}
