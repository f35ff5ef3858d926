package dev.lathe.tui.screen;

import dev.lathe.term.VisibleControls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * The inline renderer. The conversation is printed into the terminal's own scrollback once, as it completes, so
 * the user's scrollback, search and copy keep working and nothing is ever lost when the program ends. Only the
 * live region at the bottom — what is still changing, the input editor, the footer — is redrawn, and only the lines
 * of it that changed, each frame wrapped in synchronized output (DEC mode 2026) so terminals that support it never
 * show a half-drawn frame.
 *
 * <p>Every line passes {@link VisibleControls} on its way out: this class and {@link AlternateScreen} are the only
 * places text reaches the terminal, so no escape sequence or bidi override from a file name, a tool's output or the
 * model's text can reach it raw.
 *
 * <p>The region never grows taller than the screen minus one row: the cursor can only move up within the visible
 * screen, and a region taller than that could not be redrawn in place.
 */
public final class InlineScreen {
    private static final String SYNC_BEGIN = "\u001b[?2026h";
    private static final String SYNC_END = "\u001b[?2026l";
    private static final String CLEAR_LINE = "\u001b[K";
    private static final String CLEAR_BELOW = "\u001b[J";

    private final Surface surface;
    private final Ansi ansi;
    private List<AttributedString> drawn = List.of();
    /** Row of the live region where the terminal cursor is now. */
    private int cursorRow;
    private int drawnWidth;

    public InlineScreen(Surface surface) {
        this.surface = surface;
        this.ansi = new Ansi(surface.colors());
        this.drawnWidth = surface.width();
    }

    public int width() { return surface.width(); }

    public int height() { return surface.height(); }

    /** How many rows the live region may use. */
    public int maxLiveRows() { return Math.max(1, surface.height() - 1); }

    /**
     * Prints {@code lines} above the live region, for good, and draws {@code live} below them.
     */
    public void commit(List<AttributedString> lines, List<AttributedString> live, Optional<Cursor> cursor) {
        var out = new StringBuilder(SYNC_BEGIN).append("\u001b[?25l");
        toRegionTop(out);
        for (AttributedString line : lines) out.append(ansi(VisibleControls.line(line))).append(CLEAR_LINE).append("\r\n");
        out.append(CLEAR_BELOW);
        drawn = List.of();
        cursorRow = 0;
        drawLive(out, fit(live), shift(live, cursor));
        emit(out);
    }

    /** Redraws the live region, rewriting only the lines that differ from the last frame. */
    public void render(List<AttributedString> live, Optional<Cursor> cursor) {
        // the terminal may have changed size before its signal reached us: a frame drawn as if it had not would
        // start on the wrong row of the reflowed region
        if (surface.width() != drawnWidth) {
            resized(live, cursor);
            return;
        }
        var out = new StringBuilder(SYNC_BEGIN).append("\u001b[?25l");
        drawLive(out, fit(live), shift(live, cursor));
        emit(out);
    }

    /** The cursor in the rows {@link #fit} keeps. */
    private Optional<Cursor> shift(List<AttributedString> live, Optional<Cursor> cursor) {
        int dropped = Math.max(0, live.size() - maxLiveRows());
        return cursor.map(c -> new Cursor(Math.max(0, c.row() - dropped), c.column()));
    }

    /**
     * After the terminal changed size: terminals reflow (or cut) what they show, so the old region's rows are not
     * where they were. Clears from the region's top as it now stands and draws it again.
     */
    public void resized(List<AttributedString> live, Optional<Cursor> cursor) {
        var out = new StringBuilder(SYNC_BEGIN).append("\u001b[?25l");
        toRegionTop(out);
        out.append(CLEAR_BELOW);
        drawn = List.of();
        cursorRow = 0;
        drawLive(out, fit(live), shift(live, cursor));
        emit(out);
    }

    /** Moves to the region's first row as the terminal shows it now, reflowed if it became narrower. */
    private void toRegionTop(StringBuilder out) {
        int newWidth = surface.width();
        if (newWidth >= drawnWidth) {
            toTop(out);
            return;
        }
        // each line above the cursor may now take several rows
        int rows = 0;
        for (int i = 0; i < Math.min(cursorRow, drawn.size()); i++) rows += Math.max(1, ceilDiv(drawn.get(i).columnLength(), newWidth));
        if (cursorRow < drawn.size()) rows += Math.max(1, ceilDiv(cursorColumn, newWidth)) - 1;
        if (rows > 0) out.append("\u001b[").append(Math.min(rows, surface.height() - 1)).append('A');
        out.append('\r');
        cursorRow = 0;
        drawnWidth = newWidth;
    }

    /** Leaves the live region in the scrollback as it is and puts the cursor on a fresh line below it. */
    public void close(List<AttributedString> finalLines) {
        var out = new StringBuilder(SYNC_BEGIN);
        toRegionTop(out);
        out.append(CLEAR_BELOW);
        for (AttributedString line : finalLines) out.append(ansi(VisibleControls.line(line))).append(CLEAR_LINE).append("\r\n");
        out.append(SYNC_END).append("\u001b[?25h");
        drawn = List.of();
        cursorRow = 0;
        surface.write(out.toString());
        surface.flush();
    }

    private int cursorColumn;

    private void drawLive(StringBuilder out, List<AttributedString> live, Optional<Cursor> cursor) {
        toTop(out);
        int row = 0;
        for (int i = 0; i < live.size(); i++) {
            if (i > 0) {
                // \r\n, not a cursor-down: below the last drawn row the screen must scroll
                out.append("\r\n");
                row = i;
            }
            boolean same = i < drawn.size() && drawn.get(i).equals(live.get(i));
            if (!same) out.append('\r').append(ansi(live.get(i))).append(CLEAR_LINE);
        }
        if (live.size() < drawn.size()) {
            out.append("\r\n").append(CLEAR_BELOW).append("\u001b[1A");
        }
        int last = Math.max(0, live.size() - 1);
        cursorRow = last;
        cursorColumn = live.isEmpty() ? 0 : live.get(last).columnLength();
        if (cursor.isPresent()) {
            Cursor c = cursor.get();
            int target = Math.min(Math.max(0, c.row()), last);
            if (row - target > 0) out.append("\u001b[").append(row - target).append('A');
            out.append('\r');
            if (c.column() > 0) out.append("\u001b[").append(c.column()).append('C');
            cursorRow = target;
            cursorColumn = c.column();
            out.append(SYNC_END).append("\u001b[?25h");
        } else {
            out.append(SYNC_END);
        }
        drawn = List.copyOf(live);
        drawnWidth = surface.width();
    }

    private void toTop(StringBuilder out) {
        if (cursorRow > 0) out.append("\u001b[").append(cursorRow).append('A');
        out.append('\r');
        cursorRow = 0;
    }

    /** The last rows of {@code live} that fit, controls made visible ({@link VisibleControls}), each cut to the width. */
    private List<AttributedString> fit(List<AttributedString> live) {
        int width = surface.width();
        int max = maxLiveRows();
        List<AttributedString> tail = live.size() > max ? live.subList(live.size() - max, live.size()) : live;
        var out = new ArrayList<AttributedString>(tail.size());
        for (AttributedString raw : tail) {
            AttributedString l = VisibleControls.line(raw);
            out.add(l.columnLength() > width ? l.columnSubSequence(0, width) : l);
        }
        return out;
    }

    private String ansi(AttributedString line) { return ansi.encode(line); }

    private void emit(StringBuilder out) {
        surface.write(out.toString());
        surface.flush();
    }

    private static int ceilDiv(int a, int b) { return b <= 0 ? a : (a + b - 1) / b; }
}
