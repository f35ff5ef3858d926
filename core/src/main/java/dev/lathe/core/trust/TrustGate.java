package dev.lathe.core.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, item by item, which of a project's definitions that run code take effect while its configuration is read,
 * and remembers every one it was asked about. In an untrusted folder none does; in a trusted folder those whose
 * {@link TrustItem#hash} {@code lathe trust} pinned do, and one added or changed since is withheld as in an untrusted
 * folder until the user approves it. One gate serves one read of the configuration (not shared between threads).
 */
public final class TrustGate {
    private final Set<String> pinned;
    private final boolean trusted;
    /** The project root the items' referenced files are found under, or null: items are pinned as written. */
    private final java.nio.file.Path root;
    private final List<TrustItem> seen = new ArrayList<>();

    private TrustGate(boolean trusted, Set<String> pinned, java.nio.file.Path root) {
        this.trusted = trusted;
        this.pinned = Set.copyOf(pinned);
        this.root = root;
    }

    /** A gate that lets nothing through: an untrusted folder (what its items name is not looked at). */
    public static TrustGate untrusted() { return new TrustGate(false, Set.of(), null); }

    /** A gate that lets nothing through, for reading what the project at {@code root} defines to pin it. */
    public static TrustGate untrusted(java.nio.file.Path root) { return new TrustGate(false, Set.of(), root); }

    /**
     * A trusted folder's gate: the items whose hash is in {@code pinned} take effect, each item together with the
     * content of the project files under {@code root} it names ({@link ReferencedFiles}).
     */
    public static TrustGate pinned(java.nio.file.Path root, Set<String> pinned) { return new TrustGate(true, pinned, root); }

    /** Records {@code item} (with the digests of the project files it names) and says whether it takes effect. */
    public boolean admit(TrustItem item) {
        TrustItem whole = root == null ? item : new TrustItem(item.kind(), item.source(), item.name(), ReferencedFiles.pin(root, item));
        seen.add(whole);
        return trusted && pinned.contains(whole.hash());
    }

    /**
     * The hash {@link #admit} pins {@code item} under for the project at {@code root} (with the digests of the project
     * files it names): what a loader that runs the item later (a custom command's {@code !`cmd`}) compares the item
     * as it is then against, so a change after the configuration was read is caught too.
     */
    public static String hashOf(java.nio.file.Path root, TrustItem item) {
        return new TrustItem(item.kind(), item.source(), item.name(), ReferencedFiles.pin(root, item)).hash();
    }

    /**
     * Whether the items of the folders below the project root are asked about too ({@link NestedProjectFolders}): in a
     * trusted folder (they run once pinned) and when reading what to pin; an untrusted folder's read skips the walk.
     */
    public boolean looksBelowRoot() { return trusted || root != null; }

    /** Why what this gate withholds is withheld. */
    public Withheld.Reason reason() { return trusted ? Withheld.Reason.CHANGED_SINCE_TRUST : Withheld.Reason.UNTRUSTED; }

    /** Every item this gate was asked about, in order. */
    public List<TrustItem> seen() { return List.copyOf(seen); }
}
