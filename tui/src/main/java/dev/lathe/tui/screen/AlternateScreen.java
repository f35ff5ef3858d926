package dev.lathe.tui.screen;

import dev.lathe.term.VisibleControls;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * A full-screen view drawn on the terminal's alternate screen (DEC mode 1049), for what is read page by page — the
 * transcript view. The normal screen, its scrollback and the inline UI's live region are left untouched underneath
 * and come back as they were on {@link #close}. Rows pass {@link VisibleControls} before they are cut to the width.
 */
public final class AlternateScreen {
    private static final String ENTER = "\u001b[?1049h";
    private static final String LEAVE = "\u001b[?1049l";
    private static final String SYNC_BEGIN = "\u001b[?2026h";
    private static final String SYNC_END = "\u001b[?2026l";

    private final Surface surface;
    private final Ansi ansi;
    /** The last frame drawn and the size it was drawn at: the same frame again writes nothing (the UI ticks 10 times a second). */
    private List<AttributedString> drawn = List.of();
    private int drawnWidth;
    private int drawnHeight;

    public AlternateScreen(Surface surface) {
        this.surface = surface;
        this.ansi = new Ansi(surface.colors());
    }

    public int width() { return surface.width(); }

    public int height() { return surface.height(); }

    /** Switches to the alternate screen, cursor hidden. */
    public void open() {
        surface.write(ENTER + "\u001b[?25l\u001b[H\u001b[2J");
        surface.flush();
        drawn = List.of();
    }

    /** Draws {@code rows} from the top, each cut to the width; rows below them are cleared. */
    public void draw(List<AttributedString> rows) {
        int width = surface.width();
        int height = surface.height();
        if (rows.equals(drawn) && width == drawnWidth && height == drawnHeight) return;
        drawn = List.copyOf(rows);
        drawnWidth = width;
        drawnHeight = height;
        var out = new StringBuilder(SYNC_BEGIN).append("\u001b[H");
        for (int i = 0; i < Math.min(height, rows.size()); i++) {
            AttributedString row = VisibleControls.line(rows.get(i));
            if (i > 0) out.append("\r\n");
            AttributedString cut = row.columnLength() > width ? row.columnSubSequence(0, width) : row;
            out.append(ansi.encode(cut));
            // a full row leaves the cursor on its last cell, which an erase would clear
            if (cut.columnLength() < width) out.append("\u001b[K");
        }
        if (rows.size() < height) out.append("\r\n\u001b[J");
        out.append(SYNC_END);
        surface.write(out.toString());
        surface.flush();
    }

    /** Back to the normal screen, as it was before {@link #open}. */
    public void close() {
        surface.write(LEAVE);
        surface.flush();
    }
}
