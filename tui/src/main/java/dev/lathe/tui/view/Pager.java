package dev.lathe.tui.view;

import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;

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
    List<AttributedString> render(Theme theme, int width, int height, String alert);

    void up(int n);

    void down(int n);

    void pageUp();

    void pageDown();

    void home();

    void end();
}
