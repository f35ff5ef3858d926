package dev.lathe.tui.view;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A page of text in the pager ({@code /help}): laid out again at each width, opened at its first line. It replaces a
 * dump into the scrollback that pushed the conversation away and had to be scrolled back through afterwards.
 */
public final class TextPager implements Pager {
    /** The page's lines at a width. */
    @FunctionalInterface
    public interface Layout {
        List<AttributedString> at(int width);
    }

    private final String title;
    private final Layout layout;
    private List<AttributedString> lines = List.of();
    private int width = -1;
    private int top;
    private int page = 1;

    /** @param title what the status row calls the page ({@code help}) */
    public TextPager(String title, Layout layout) {
        this.title = title;
        this.layout = layout;
    }

    @Override
    public List<AttributedString> render(Theme theme, int width, int height) {
        if (width != this.width) {
            lines = List.copyOf(layout.at(width));
            this.width = width;
        }
        page = Math.max(1, height - 1);
        top = clamp(top);
        var out = new ArrayList<AttributedString>(height);
        for (int i = top; i < Math.min(lines.size(), top + page); i++) out.add(lines.get(i));
        while (out.size() < page) out.add(theme.paint(Role.MUTED, "~"));
        int last = Math.min(lines.size(), top + page);
        var status = new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), " " + title + " ")
                .styled(theme.style(Role.MUTED), "q or esc to close · lines " + (lines.isEmpty() ? 0 : top + 1) + "–" + last + " of " + lines.size()
                        + " · ↑↓ pgup pgdn home end");
        out.add(Wrap.truncate(status.toAttributedString(), width));
        return out;
    }

    @Override
    public List<AttributedString> render(Theme theme, int width, int height, String alert) {
        List<AttributedString> rows = new ArrayList<>(render(theme, width, height));
        rows.set(rows.size() - 1, Wrap.truncate(theme.paint(Role.WARNING, " ? " + alert + " · q or esc to answer it"), width));
        return rows;
    }

    @Override public void up(int n) { top = clamp(top - n); }

    @Override public void down(int n) { top = clamp(top + n); }

    @Override public void pageUp() { up(Math.max(1, page - 1)); }

    @Override public void pageDown() { down(Math.max(1, page - 1)); }

    @Override public void home() { top = 0; }

    @Override public void end() { top = clamp(lines.size()); }

    private int clamp(int t) { return Math.max(0, Math.min(t, lines.size() - page)); }
}
