package dev.lathe.tui;

import dev.lathe.tui.screen.Surface;
import java.io.PrintWriter;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;

/** The real terminal as a {@link Surface}. */
final class TerminalSurface implements Surface {
    private final Terminal terminal;
    private final PrintWriter writer;
    private final int colors;

    TerminalSurface(Terminal terminal, java.util.Map<String, String> env) {
        this.terminal = terminal;
        this.writer = terminal.writer();
        String colorTerm = env.getOrDefault("COLORTERM", "");
        Integer max = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        if (colorTerm.equals("truecolor") || colorTerm.equals("24bit")) colors = 1 << 24;
        else colors = max == null ? 16 : Math.max(8, max);
    }

    @Override public int width() {
        Size s = terminal.getSize();
        return s.getColumns() > 0 ? s.getColumns() : 80;
    }

    @Override public int height() {
        Size s = terminal.getSize();
        return s.getRows() > 0 ? s.getRows() : 24;
    }

    @Override public void write(String ansi) { writer.write(ansi); }

    @Override public void flush() { writer.flush(); }

    @Override public int colors() { return colors; }
}
