package dev.lathe.tui.view;

/** The frames of the busy spinner; the UI advances the frame on its tick while something runs. */
public final class Spinner {
    private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private Spinner() {}

    public static String frame(int n) { return FRAMES[Math.floorMod(n, FRAMES.length)]; }
}
