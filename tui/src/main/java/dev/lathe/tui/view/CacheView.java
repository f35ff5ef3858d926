package dev.lathe.tui.view;

import dev.lathe.protocol.api.CacheReport;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * {@code /cache}: the session's cache report, compactly: the overall hit ratio and breaks, then the last requests, one
 * line each (number, model, prompt size, share read from the cache, and whether the prefix was kept, broke at which
 * block, or missed).
 */
public final class CacheView {
    /** How many of the latest requests are listed. */
    public static final int LAST = 10;

    private CacheView() {}

    public static List<AttributedString> render(CacheReport report, Theme theme, int width) {
        var lines = new ArrayList<AttributedString>();
        CacheReport.Totals t = report.totals();
        var head = new AttributedStringBuilder().append(theme.paint(Role.HEADING, "Cache"));
        if (t.requests() == 0) {
            lines.add(head.append(theme.paint(Role.MUTED, "  no requests yet in this session")).toAttributedString());
            return lines;
        }
        head.append("  " + percent(t.hitRatio()) + " of prompt tokens read from the cache over " + plural(t.requests(), "request"));
        lines.add(Wrap.truncate(head.toAttributedString(), width));
        lines.add(Wrap.truncate(theme.paint(Role.MUTED, "  " + breaks(t)), width));
        // the cache lifecycle's choice for a pause now (decision 504): the report's model text is Lathe's own wording
        report.lifecycle().ifPresent(l -> lines.add(Wrap.truncate(theme.paint(Role.MUTED, "  pause: " + l.summary() + " (cache.strategy " + l.strategy() + ")"), width)));
        List<CacheReport.Request> requests = report.requests();
        int from = Math.max(0, requests.size() - LAST);
        for (int i = from; i < requests.size(); i++) lines.add(Wrap.truncate(line(theme, i + 1, requests.get(i)), width));
        if (from > 0) {
            lines.add(Wrap.truncate(theme.paint(Role.MUTED, "  the last " + LAST + " of " + requests.size() + "; GET /sessions/{id}/cache has them all"), width));
        }
        return lines;
    }

    private static AttributedString line(Theme theme, int number, CacheReport.Request r) {
        long prompt = r.input() + r.cacheRead() + r.cacheWrite();
        var out = new AttributedStringBuilder().append(String.format("  %3d  %-24s %7s %5s  ", number, shortModel(r.model()), Footer.tokens(prompt),
                percent(r.hitRatio())));
        switch (r.outcome()) {
            case FIRST -> out.append(theme.paint(Role.MUTED, "first"));
            case KEPT -> out.append(theme.paint(Role.SUCCESS, "kept"));
            case UNKNOWN -> out.append(theme.paint(Role.MUTED, "not recorded"));
            case MISSED -> out.append(theme.paint(Role.WARNING, "missed")).append(theme.paint(Role.MUTED, r.reason().map(x -> " (" + x + ")").orElse("")));
            case BROKE -> out.append(theme.paint(Role.ERROR, "broke: " + r.broke().map(CacheReport.Block::wire).orElse("?")))
                    .append(theme.paint(Role.MUTED, r.reason().map(x -> " (" + x + ")").orElse("")));
        }
        return out.toAttributedString();
    }

    private static String breaks(CacheReport.Totals t) {
        CacheReport.Breaks b = t.breaks();
        var parts = new ArrayList<String>();
        if (b.model() > 0) parts.add("model " + b.model());
        if (b.system() > 0) parts.add("system " + b.system());
        if (b.tools() > 0) parts.add("tools " + b.tools());
        if (b.instructions() > 0) parts.add("instructions " + b.instructions());
        if (b.messages() > 0) parts.add("messages " + b.messages());
        String breaks = b.total() == 0 ? "the prefix never broke" : plural(b.total(), "break") + " (" + String.join(", ", parts) + ")";
        return breaks + (t.missed() > 0 ? " · " + plural(t.missed(), "miss") + " with an unchanged prefix" : "");
    }

    /**
     * {@code openrouter/anthropic/claude-sonnet-4.5} → {@code claude-sonnet-4.5}: the provider rarely matters in a one-line
     * list, and a model switch names both in full.
     */
    private static String shortModel(String ref) {
        String model = ref.substring(ref.lastIndexOf('/') + 1);
        return model.length() <= 24 ? model : model.substring(0, 23) + "…";
    }

    private static String percent(double ratio) { return Math.round(ratio * 100) + "%"; }

    private static String plural(long n, String word) {
        return n + " " + (n == 1 ? word : word.endsWith("s") ? word + "es" : word + "s");
    }
}
