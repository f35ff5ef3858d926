package dev.lathe.tui.view;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The transcript view (Ctrl-O): the whole session as stored, every message, with each tool call's full output and
 * every reasoning block expanded, in a pager one screen high. It opens at the end (the newest is what one looks
 * for) and scrolls by line, by page, or to either end. It is a snapshot of the session when it opened; the inline
 * transcript below it goes on meanwhile.
 */
public final class TranscriptPager {
    private final List<MessageWithParts> messages;
    private final SessionId session;
    private final BlockView view;
    private List<AttributedString> lines = List.of();
    private int width = -1;
    private int top;
    private int page = 1;

    /** @param view a view that shows everything ({@link BlockView#unabridged}) */
    public TranscriptPager(SessionId session, List<MessageWithParts> messages, BlockView view) {
        this.session = session;
        this.messages = List.copyOf(messages);
        this.view = view;
    }

    /** The rows of the screen at {@code width} × {@code height}: the transcript's lines from the scroll position, then a status row. */
    public List<AttributedString> render(Theme theme, int width, int height) {
        if (width != this.width) layOut(width, height);
        page = Math.max(1, height - 1);
        top = clamp(top);
        var out = new ArrayList<AttributedString>(height);
        for (int i = top; i < Math.min(lines.size(), top + page); i++) out.add(lines.get(i));
        while (out.size() < page) out.add(theme.paint(Role.MUTED, "~"));
        int last = Math.min(lines.size(), top + page);
        var status = new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), " transcript ")
                .styled(theme.style(Role.MUTED), "q or esc to close · lines " + (lines.isEmpty() ? 0 : top + 1) + "–" + last + " of " + lines.size()
                        + " · ↑↓ pgup pgdn home end · " + session.value());
        out.add(Wrap.truncate(status.toAttributedString(), width));
        return out;
    }

    /**
     * As {@link #render(Theme, int, int)}, with {@code alert} (an ask waiting for an answer) in place of the status
     * row: the view hides the ask panel, so it must not hide that one is there.
     */
    public List<AttributedString> render(Theme theme, int width, int height, String alert) {
        List<AttributedString> rows = new ArrayList<>(render(theme, width, height));
        rows.set(rows.size() - 1, Wrap.truncate(theme.paint(Role.WARNING, " ? " + alert + " · q or esc to answer it"), width));
        return rows;
    }

    private void layOut(int newWidth, int height) {
        boolean atEnd = this.width < 0 || top >= lines.size() - page;
        var transcript = new Transcript(session);
        transcript.load(messages, false, Integer.MAX_VALUE);
        lines = List.copyOf(transcript.takeCommit(view, newWidth, true));
        this.width = newWidth;
        page = Math.max(1, height - 1);
        if (atEnd) top = lines.size();
    }

    /** How many lines the transcript has at the width last drawn. */
    public int lineCount() { return lines.size(); }

    /** The first line shown. */
    public int top() { return top; }

    public void up(int n) { top = clamp(top - n); }

    public void down(int n) { top = clamp(top + n); }

    public void pageUp() { up(Math.max(1, page - 1)); }

    public void pageDown() { down(Math.max(1, page - 1)); }

    public void home() { top = 0; }

    public void end() { top = clamp(lines.size()); }

    private int clamp(int t) { return Math.max(0, Math.min(t, lines.size() - page)); }
}
