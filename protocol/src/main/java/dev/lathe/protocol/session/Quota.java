package dev.lathe.protocol.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rate-limit window the provider reported on a response (DESIGN §18 "Cost"): {@code used} of {@code limit} until
 * {@code resetsAt} (RFC 3339, UTC). {@code name}: {@code requests}, {@code tokens}, {@code input-tokens},
 * {@code output-tokens}, or a plan window's length ({@code 5h}, {@code 7d}), whose {@code limit} is 100 (percent).
 */
public record Quota(String name, long used, long limit, String resetsAt) {
    /** The share of a window that draws a warning, once per window (issue 68). */
    public static final double WARN_AT = 0.8;

    /** {@code used / limit}, 0 when the limit is not positive. */
    public double fraction() { return limit <= 0 ? 0 : (double) used / limit; }

    /** The latest window of each name in {@code windows} (oldest first), in the order names first came. */
    public static List<Quota> latestPerName(Collection<List<Quota>> oldestFirst) {
        Map<String, Quota> latest = new LinkedHashMap<>();
        for (List<Quota> windows : oldestFirst) windows.forEach(w -> latest.put(w.name(), w));
        return List.copyOf(latest.values());
    }

    /** The window closest to its limit: the one a one-line summary names. */
    public static Optional<Quota> tightest(List<Quota> windows) {
        Quota best = null;
        for (Quota w : windows) if (best == null || w.fraction() > best.fraction()) best = w;
        return Optional.ofNullable(best);
    }
}
