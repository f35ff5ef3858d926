package dev.lathe.tui.view;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * The transcript view (Ctrl-O): the session as stored, every message, with each tool call's full output and every
 * reasoning block expanded, in a pager one screen high. It opens at the end (the newest is what one looks for) with
 * the newest page of messages, and scrolls by line, by page, or to either end; scrolling up to within a screen of the
 * first line loaded fetches the page before it (so a day-long session opens as fast as a short one, and the wait for a
 * page falls while there is still a screen to read), and going to the start fetches every page left. It is a snapshot
 * of the session when it opened; the inline transcript below it goes on meanwhile.
 */
public final class TranscriptPager implements Pager {
    /** The page before a message (its first), oldest first: the server's {@code messages?limit&before}. */
    @FunctionalInterface
    public interface Earlier {
        MessagePage before(MessageId first);
    }

    private final List<MessageWithParts> messages;
    private final SessionId session;
    private final BlockView view;
    private final Earlier earlier;
    private boolean more;
    private String failure = "";
    private List<AttributedString> lines = List.of();
    private int width = -1;
    private int top;
    private int page = 1;

    /** A pager over a whole history, with nothing before it. */
    public TranscriptPager(SessionId session, List<MessageWithParts> messages, BlockView view) {
        this(session, new MessagePage(messages, false), _ -> new MessagePage(List.of(), false), view);
    }

    /**
     * @param newest the page it opens with
     * @param earlier where the pages before it come from
     * @param view a view that shows everything ({@link BlockView#unabridged})
     */
    public TranscriptPager(SessionId session, MessagePage newest, Earlier earlier, BlockView view) {
        this.session = session;
        this.messages = new ArrayList<>(newest.messages());
        this.more = newest.more();
        this.earlier = earlier;
        this.view = view;
    }

    /** Whether older messages than the first one loaded exist on the server. */
    public boolean hasEarlier() { return more; }

    /** How many messages are loaded. */
    public int messageCount() { return messages.size(); }

    @Override
    public List<AttributedString> render(Theme theme, int width, int height) {
        if (width != this.width) layOut(width, height);
        page = Math.max(1, height - 1);
        top = clamp(top);
        return Pager.screen(theme, lines, top, page, width, "transcript", session.value());
    }

    private void layOut(int newWidth, int height) {
        boolean atEnd = this.width < 0 || top >= lines.size() - page;
        lines = linesAt(newWidth);
        this.width = newWidth;
        page = Math.max(1, height - 1);
        if (atEnd) top = lines.size();
    }

    private List<AttributedString> linesAt(int w) {
        var transcript = new Transcript(session);
        transcript.load(messages, false, Integer.MAX_VALUE);
        var out = new ArrayList<AttributedString>();
        if (more || !failure.isEmpty()) {
            out.add(new AttributedString(failure.isEmpty() ? "↑ earlier messages (scroll up to load them)" : "↑ earlier messages could not be loaded: " + failure));
        }
        out.addAll(transcript.takeCommit(view, w, true));
        return List.copyOf(out);
    }

    /**
     * Fetches the page before the first message loaded and lays the lines out again, keeping the line at the top of
     * the screen where it is (it moves down by the lines the page added).
     */
    private void loadEarlier() {
        if (!more || messages.isEmpty()) return;
        MessagePage before;
        try {
            before = earlier.before(messages.getFirst().info().id());
            failure = "";
        } catch (RuntimeException e) {
            // the server went away: say so on the first line; the next scroll up tries again
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (width > 0) lines = linesAt(width);
            return;
        }
        messages.addAll(0, before.messages());
        more = before.more() && !before.messages().isEmpty();
        if (width < 0) return;
        int was = lines.size();
        lines = linesAt(width);
        top += lines.size() - was;
    }

    /** How many lines the transcript has at the width last drawn. */
    public int lineCount() { return lines.size(); }

    /** The first line shown. */
    public int top() { return top; }

    @Override
    public void up(int n) {
        top = clamp(top - n);
        if (top < page && more) loadEarlier();
    }

    @Override
    public void down(int n) { top = clamp(top + n); }

    @Override
    public void pageUp() { up(Math.max(1, page - 1)); }

    @Override
    public void pageDown() { down(Math.max(1, page - 1)); }

    /**
     * To the session's first line: every page not loaded yet is fetched first, then laid out once (a layout per page
     * would lay the whole transcript out again for each). A fetch that failed before is tried again.
     */
    public void home() {
        failure = "";
        while (more && !messages.isEmpty()) {
            try {
                MessagePage before = earlier.before(messages.getFirst().info().id());
                messages.addAll(0, before.messages());
                more = before.more() && !before.messages().isEmpty();
            } catch (RuntimeException e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
                break;
            }
        }
        if (width > 0) lines = linesAt(width);
        top = 0;
    }

    @Override
    public void end() { top = clamp(lines.size()); }

    private int clamp(int t) { return Math.max(0, Math.min(t, lines.size() - page)); }
}
