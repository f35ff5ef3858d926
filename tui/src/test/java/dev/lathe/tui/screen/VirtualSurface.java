package dev.lathe.tui.screen;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.ScreenTerminal;

/** A {@link Surface} backed by JLine's terminal emulator, so tests see the screen and scrollback a user would. */
public final class VirtualSurface implements Surface {
    private final ScreenTerminal vt;
    private final StringBuilder written = new StringBuilder();

    public VirtualSurface(int width, int height) { vt = new ScreenTerminal(width, height); }

    @Override public int width() { return vt.getWidth(); }

    @Override public int height() { return vt.getHeight(); }

    @Override public void write(String ansi) {
        written.append(ansi);
        vt.write(ansi);
    }

    @Override public void flush() {}

    @Override public int colors() { return 256; }

    public void resize(int width, int height) { vt.setSize(width, height); }

    /** Bytes written since the last call. */
    public String drain() {
        String s = written.toString();
        written.setLength(0);
        return s;
    }

    /** The visible screen, one string per row, trailing spaces removed. */
    public List<String> screen() {
        var rows = new ArrayList<String>();
        for (String row : vt.toString().split("\n", -1)) rows.add(row.stripTrailing());
        while (rows.size() > vt.getHeight()) rows.removeLast();
        return rows;
    }

    /** Scrollback above the screen, then the screen: everything the user can scroll to. */
    public List<String> all() {
        var rows = new ArrayList<String>();
        for (long[] line : vt.getHistory()) {
            var sb = new StringBuilder();
            for (long cell : line) {
                int cp = ScreenTerminal.cellCodePoint(cell);
                if (cp != 0) sb.appendCodePoint(cp);
            }
            rows.add(sb.toString().stripTrailing());
        }
        rows.addAll(screen());
        return rows;
    }
}
