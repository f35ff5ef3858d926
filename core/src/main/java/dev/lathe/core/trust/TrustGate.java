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
    private final List<TrustItem> seen = new ArrayList<>();

    private TrustGate(boolean trusted, Set<String> pinned) {
        this.trusted = trusted;
        this.pinned = Set.copyOf(pinned);
    }

    /** A gate that lets nothing through: an untrusted folder, or reading what a folder defines to pin it. */
    public static TrustGate untrusted() { return new TrustGate(false, Set.of()); }

    /** A trusted folder's gate: the items whose hash is in {@code pinned} take effect. */
    public static TrustGate pinned(Set<String> pinned) { return new TrustGate(true, pinned); }

    /** Records {@code item} and says whether it takes effect. */
    public boolean admit(TrustItem item) {
        seen.add(item);
        return trusted && pinned.contains(item.hash());
    }

    /** Why what this gate withholds is withheld. */
    public Withheld.Reason reason() { return trusted ? Withheld.Reason.CHANGED_SINCE_TRUST : Withheld.Reason.UNTRUSTED; }

    /** Every item this gate was asked about, in order. */
    public List<TrustItem> seen() { return List.copyOf(seen); }
}
