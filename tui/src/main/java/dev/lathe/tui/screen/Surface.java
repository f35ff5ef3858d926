package dev.lathe.tui.screen;

/** Where the screen's escape sequences go, and how big it is now. */
public interface Surface {
    int width();

    int height();

    void write(String ansi);

    void flush();

    /** Colours the surface shows: 0 (none), 8, 16, 256 or {@code 1 << 24}. */
    int colors();
}
