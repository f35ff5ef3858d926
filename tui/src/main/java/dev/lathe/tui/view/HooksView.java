package dev.lathe.tui.view;

import dev.lathe.protocol.api.HookInfo;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jline.utils.AttributedString;

/**
 * {@code /hooks}: the folder's hooks ({@code GET /hooks}) as aligned columns — event, matcher ({@code *} for all),
 * type, handler, source file — in configuration order, then one warning line per file of an untrusted folder whose
 * hooks are skipped. The transcript wraps what is wider than the terminal.
 */
public final class HooksView {
    private HooksView() {}

    public static List<AttributedString> render(HookListing listing, Theme theme) {
        var lines = new ArrayList<AttributedString>();
        if (listing.hooks().isEmpty() && listing.skipped().isEmpty()) {
            lines.add(new AttributedString("No hooks are configured in this folder"));
        } else if (listing.hooks().isEmpty()) {
            // "no hooks are configured" above "skipped 1 hook" contradicted itself (issue 53): there are some, none runs
            lines.add(new AttributedString("No hooks are in effect in this folder; skipped:"));
        } else {
            lines.add(theme.paint(Role.HEADING, "Hooks"));
            List<HookInfo> hooks = listing.hooks();
            int event = width(hooks, HookInfo::event), matcher = width(hooks, HooksView::matcher), type = width(hooks, HookInfo::type),
                    handler = width(hooks, HookInfo::handler);
            for (HookInfo h : hooks) {
                lines.add(AttributedString.join(AttributedString.EMPTY,
                        new AttributedString("  " + pad(h.event(), event) + "  " + pad(matcher(h), matcher) + "  " + pad(h.type(), type) + "  "
                                + pad(oneLine(h.handler()), handler) + "  "),
                        theme.paint(Role.MUTED, h.source())));
            }
        }
        for (TrustInfo.Skipped s : listing.skipped()) lines.add(theme.paint(Role.WARNING, "  " + s.warning()));
        return lines;
    }

    private static String matcher(HookInfo h) { return h.matcher().isBlank() ? "*" : oneLine(h.matcher()); }

    private static String oneLine(String s) { return s.strip().replaceAll("\\s*\\R\\s*", " "); }

    private static int width(List<HookInfo> hooks, Function<HookInfo, String> column) {
        return hooks.stream().mapToInt(h -> oneLine(column.apply(h)).length()).max().orElse(0);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
