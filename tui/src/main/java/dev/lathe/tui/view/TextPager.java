package dev.lathe.tui.view;

import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;

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
        return Pager.screen(theme, lines, top, page, width, title, "");
    }

    @Override public void up(int n) { top = clamp(top - n); }

    @Override public void down(int n) { top = clamp(top + n); }

    @Override public void pageUp() { up(Math.max(1, page - 1)); }

    @Override public void pageDown() { down(Math.max(1, page - 1)); }

    @Override public void home() { top = 0; }

    @Override public void end() { top = clamp(lines.size()); }

    private int clamp(int t) { return Math.max(0, Math.min(t, lines.size() - page)); }
}
