package dev.lathe.term;

import dev.lathe.protocol.session.Quota;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The provider's rate-limit windows as a client shows them (issue 68): the latest of each name, a one-line summary of
 * the tightest ({@code tokens 82% · resets 14:05}, the TUI's footer) and a warning when a window reaches
 * {@link Quota#WARN_AT}, once per window (a window that resets and fills again warns again). The names are Lathe's own
 * words and the figures numbers, so nothing here is text the provider wrote. Not thread-safe: one owner's thread.
 */
public final class QuotaMeter {
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter LATER = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT);
    /** The windows that count units: their warning gives the figures; a plan window's limit is a percent. */
    private static final Set<String> COUNTED = Set.of("requests", "tokens", "input-tokens", "output-tokens");
    private static final String NAME = "[a-z0-9][a-z0-9-]{0,23}";
    private final Map<String, Quota> latest = new LinkedHashMap<>();
    /** The windows warned about, by name and reset: each once. */
    private final Set<String> warned = new HashSet<>();
    private final ZoneId zone;

    public QuotaMeter(ZoneId zone) {
        this.zone = zone;
    }

    /** A response reported {@code windows}: they are the latest; returns the warnings they call for, each once. */
    public List<String> report(List<Quota> windows) {
        List<String> warnings = new ArrayList<>();
        for (Quota w : windows) {
            // the server's words, shown on a terminal: only names of the shape Lathe gives them
            if (!w.name().matches(NAME)) continue;
            latest.put(w.name(), w);
            if (w.fraction() >= Quota.WARN_AT && warned.add(w.name() + "@" + w.resetsAt())) warnings.add(warning(w, zone));
        }
        return warnings;
    }

    /** The tightest window in a few words, empty before any was reported. */
    public Optional<String> summary() {
        return Quota.tightest(List.copyOf(latest.values())).map(w -> w.name() + " " + percent(w) + "%" + resets(w, zone));
    }

    /** Every window of {@code windows} on one line: {@code tokens 82% · resets 14:05 · requests 3% · resets 14:01} ({@code lathe stats}). */
    public static String line(List<Quota> windows, ZoneId zone) {
        return String.join(" · ", windows.stream().filter(w -> w.name().matches(NAME)).map(w -> w.name() + " " + percent(w) + "%" + resets(w, zone)).toList());
    }

    /** {@code quota: tokens 82% used (8,200 of 10,000), resets 14:05}; a plan window's: {@code quota: 5h window 82% used, ...}. */
    static String warning(Quota w, ZoneId zone) {
        String what = COUNTED.contains(w.name()) ? w.name() + " " + percent(w) + "% used" + String.format(Locale.ROOT, " (%,d of %,d)", w.used(), w.limit())
                : w.name() + " window " + percent(w) + "% used";
        return "quota: " + what + resets(w, zone).replace(" · ", ", ");
    }

    private static long percent(Quota w) { return Math.round(100 * w.fraction()); }

    /** {@code  · resets 14:05} (local time; with the date when not within a day), empty when the instant does not read. */
    private static String resets(Quota w, ZoneId zone) {
        try {
            Instant at = Instant.parse(w.resetsAt());
            boolean soon = Duration.between(Instant.now(), at).compareTo(Duration.ofHours(20)) < 0;
            return " · resets " + (soon ? TODAY : LATER).format(at.atZone(zone));
        } catch (DateTimeParseException e) {
            return "";
        }
    }
}
