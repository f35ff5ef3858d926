package dev.lathe.core.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tree with some of its files replaced or removed, written straight into the object store: the snapshot after an
 * edit step, which knows the files it wrote. Two git processes (add, write-tree) were ~15 ms between a step's answer
 * and its next edit on a busy machine, and a third (diff-tree) listed what changed. Only changes whose result is
 * certain are taken: a path the tree does not hold (a new file, maybe ignored), a file where the tree has a folder or
 * a submodule, or a tree that is not loose makes {@link #apply} empty, and the caller asks git.
 */
final class TreeEdit {
    /** What a file of the project is now. */
    sealed interface Change {
        /** A file or symlink with git's mode ({@code 100644}, {@code 100755}, {@code 120000}) and content. */
        record Written(String mode, byte[] content) implements Change {}

        record Removed() implements Change {}
    }

    /** The new tree and the paths whose entry differs from the base tree's, sorted. */
    record Result(String tree, List<String> changed) {}

    /** A change this class does not write; the caller falls back to git. */
    private static final class NotHere extends Exception {
        NotHere() { super(null, null, false, false); }
    }

    private final LooseObjects objects;
    private final List<String> changed = new ArrayList<>();

    private TreeEdit(LooseObjects objects) {
        this.objects = objects;
    }

    /** @param changes by path relative to the project, {@code /}-separated */
    static Optional<Result> apply(LooseObjects objects, String baseTree, Map<String, Change> changes) throws IOException {
        var edit = new TreeEdit(objects);
        try {
            String tree = edit.rewrite(baseTree, "", changes).orElse(null);
            if (tree == null) tree = objects.writeTree(List.of()); // every file gone: git's empty tree
            return Optional.of(new Result(tree, edit.changed.stream().sorted().toList()));
        } catch (NotHere e) {
            return Optional.empty();
        }
    }

    /** The tree {@code id} at {@code prefix} with {@code changes} (relative to it) applied; empty when no entry is left. */
    private Optional<String> rewrite(String id, String prefix, Map<String, Change> changes) throws IOException, NotHere {
        List<LooseObjects.Entry> entries = new ArrayList<>(objects.readTree(id).orElseThrow(NotHere::new));
        // the changes to this tree's own files, and those below each of its folders; an entry is replaced or removed,
        // never added, so the others keep git's order
        Map<String, Change> files = new TreeMap<>();
        Map<String, Map<String, Change>> folders = new TreeMap<>();
        changes.forEach((path, change) -> {
            int slash = path.indexOf('/');
            if (slash < 0) files.put(path, change);
            else folders.computeIfAbsent(path.substring(0, slash), _ -> new TreeMap<>()).put(path.substring(slash + 1), change);
        });
        boolean modified = false;
        for (var file : files.entrySet()) {
            int at = indexOf(entries, file.getKey());
            if (at < 0 || folders.containsKey(file.getKey())) throw new NotHere();
            LooseObjects.Entry entry = entries.get(at);
            if (entry.isTree() || entry.mode().equals("160000")) throw new NotHere();
            switch (file.getValue()) {
                case Change.Removed _ -> entries.remove(at);
                case Change.Written w -> {
                    String blob = objects.writeBlob(w.content());
                    if (blob.equals(entry.id()) && w.mode().equals(entry.mode())) continue;
                    entries.set(at, new LooseObjects.Entry(w.mode(), entry.name(), blob));
                }
            }
            changed.add(prefix + file.getKey());
            modified = true;
        }
        for (var folder : folders.entrySet()) {
            int at = indexOf(entries, folder.getKey());
            if (at < 0 || !entries.get(at).isTree()) throw new NotHere();
            LooseObjects.Entry entry = entries.get(at);
            Optional<String> below = rewrite(entry.id(), prefix + folder.getKey() + "/", folder.getValue());
            if (below.isEmpty()) entries.remove(at);
            else if (!below.get().equals(entry.id())) entries.set(at, new LooseObjects.Entry(entry.mode(), entry.name(), below.get()));
            else continue;
            modified = true;
        }
        if (entries.isEmpty()) return Optional.empty();
        return Optional.of(modified ? objects.writeTree(entries) : id);
    }

    private static int indexOf(List<LooseObjects.Entry> entries, String name) {
        for (int i = 0; i < entries.size(); i++) if (entries.get(i).name().equals(name)) return i;
        return -1;
    }
}
