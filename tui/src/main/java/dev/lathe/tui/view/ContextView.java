package dev.lathe.tui.view;

import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * {@code /context}: what fills the context window, block by block (the server's estimate of the next request), the
 * last request's size as the provider reported it, the reserve for the answer and what is free, over one bar:
 * {@code █} the fixed prompt (system, tools, instructions), {@code ▓} messages, {@code ▒} the reserve, {@code ░} free.
 */
public final class ContextView {
    static final int BAR = 40;

    private ContextView() {}

    /** @param lastStep the last step's usage as the client saw it (its split of the reported size), zero when none */
    public static List<AttributedString> render(ContextReport r, Usage lastStep, Theme theme, int width) {
        var lines = new ArrayList<AttributedString>();
        ContextReport.Blocks b = r.estimate();
        int limit = r.contextLimit();
        lines.add(new AttributedStringBuilder().append(theme.paint(Role.HEADING, "Context"))
                .append(theme.paint(Role.MUTED, "  " + r.model() + (limit > 0 ? " · window " + Footer.tokens(limit) : ""))).toAttributedString());
        lines.add(row(theme, "system", b.system(), "the agent's prompt"));
        lines.add(row(theme, "tools", b.tools(), "tool definitions"));
        lines.add(row(theme, "instructions", b.instructions(), "AGENTS.md and the like"));
        lines.add(row(theme, "conversation", b.conversation(), "what you and the model said"));
        lines.add(row(theme, "tool outputs", b.toolOutputs(), ""));
        lines.add(row(theme, "next request", b.total(), "estimated" + percentOf(b.total(), limit)));
        r.lastInput().ifPresent(last -> {
            lines.add(row(theme, "last request", last, "reported by the provider" + percentOf(last, limit)));
            if (lastStep.prompt() == last) {
                lines.add(theme.paint(Role.MUTED, " ".repeat(25) + "input " + Footer.tokens(lastStep.input()) + " · cache read "
                        + Footer.tokens(lastStep.cacheRead()) + " · cache write " + Footer.tokens(lastStep.cacheWrite())));
            }
        });
        lines.add(row(theme, "reserved", r.reservedOutput(), "for the answer"));
        if (limit > 0) {
            lines.add(row(theme, "free", r.free(), ""));
            lines.add(bar(theme, b.system() + b.tools() + b.instructions(), b.messages(), r.reservedOutput(), limit));
        }
        return lines.stream().map(l -> Wrap.truncate(l, width)).toList();
    }

    private static AttributedString row(Theme theme, String label, long tokens, String note) {
        var out = new AttributedStringBuilder().append(String.format("  %-14s%7s", label, Footer.tokens(tokens)));
        if (!note.isEmpty()) out.append("  ").append(theme.paint(Role.MUTED, note));
        return out.toAttributedString();
    }

    private static String percentOf(long tokens, int limit) {
        return limit > 0 ? ", " + Math.round(100.0 * tokens / limit) + "% of the window" : "";
    }

    private static AttributedString bar(Theme theme, long fixed, long messages, long reserved, int limit) {
        int a = cells(fixed, limit);
        int m = Math.min(BAR - a, cells(messages, limit));
        int r = Math.min(BAR - a - m, cells(reserved, limit));
        return new AttributedStringBuilder().append("  ")
                .styled(theme.style(Role.ACCENT), "█".repeat(a))
                .styled(theme.style(Role.TEXT), "▓".repeat(m))
                .styled(theme.style(Role.MUTED), "▒".repeat(r))
                .styled(theme.style(Role.MUTED), "░".repeat(BAR - a - m - r)).toAttributedString();
    }

    /** At least one cell for anything present, so a small block still shows. */
    private static int cells(long tokens, int limit) {
        if (tokens <= 0) return 0;
        return (int) Math.max(1, Math.min(BAR, Math.round((double) BAR * tokens / limit)));
    }
}
