package dev.lathe.tui.view;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A view that has the whole screen and scrolls: the transcript (Ctrl-O) or a page of text ({@code /help}). Keys move
 * it ({@code PagerKeys}); q or Esc closes it and the inline UI comes back where it was.
 */
public sealed interface Pager permits TranscriptPager, TextPager {
    /** The rows of the screen at {@code width} × {@code height}: the lines from the scroll position, then a status row. */
    List<AttributedString> render(Theme theme, int width, int height);

    /**
     * As {@link #render(Theme, int, int)}, with {@code alert} (an ask waiting for an answer) in place of the status
     * row: the view hides the ask panel, so it must not hide that one is there.
     */
    default List<AttributedString> render(Theme theme, int width, int height, String alert) {
        List<AttributedString> rows = new ArrayList<>(render(theme, width, height));
        rows.set(rows.size() - 1, Wrap.truncate(theme.paint(Role.WARNING, " ? " + alert + " · q or esc to answer it"), width));
        return rows;
    }

    /**
     * A screen of {@code lines} from {@code top}, {@code page} rows ({@code ~} where they end), then the status row:
     * {@code title}, how to close, which lines show, and {@code trailer} when there is one.
     */
    static List<AttributedString> screen(Theme theme, List<AttributedString> lines, int top, int page, int width, String title, String trailer) {
        var out = new ArrayList<AttributedString>(page + 1);
        for (int i = top; i < Math.min(lines.size(), top + page); i++) out.add(lines.get(i));
        while (out.size() < page) out.add(theme.paint(Role.MUTED, "~"));
        int last = Math.min(lines.size(), top + page);
        var status = new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), " " + title + " ")
                .styled(theme.style(Role.MUTED), "q or esc to close · lines " + (lines.isEmpty() ? 0 : top + 1) + "–" + last + " of " + lines.size()
                        + " · ↑↓ pgup pgdn home end" + (trailer.isEmpty() ? "" : " · " + trailer));
        out.add(Wrap.truncate(status.toAttributedString(), width));
        return out;
    }

    void up(int n);

    void down(int n);

    void pageUp();

    void pageDown();

    void home();

    void end();
}
