package dev.lathe.tui.screen;

import java.util.List;
import org.jline.utils.AttributedString;

/**
 * A full-screen view drawn on the terminal's alternate screen (DEC mode 1049), for what is read page by page — the
 * transcript view. The normal screen, its scrollback and the inline UI's live region are left untouched underneath
 * and come back as they were on {@link #close}.
 */
public final class AlternateScreen {
    private static final String ENTER = "\u001b[?1049h";
    private static final String LEAVE = "\u001b[?1049l";
    private static final String SYNC_BEGIN = "\u001b[?2026h";
    private static final String SYNC_END = "\u001b[?2026l";

    private final Surface surface;
    private final Ansi ansi;

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
    }

    /** Draws {@code rows} from the top, each cut to the width; rows below them are cleared. */
    public void draw(List<AttributedString> rows) {
        int width = surface.width();
        int height = surface.height();
        var out = new StringBuilder(SYNC_BEGIN).append("\u001b[H");
        for (int i = 0; i < Math.min(height, rows.size()); i++) {
            AttributedString row = rows.get(i);
            if (i > 0) out.append("\r\n");
            out.append(ansi.encode(row.columnLength() > width ? row.columnSubSequence(0, width) : row)).append("\u001b[K");
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
