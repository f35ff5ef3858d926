package dev.lathe.tui.screen;

import java.util.HashMap;
import java.util.Map;
import org.jline.utils.AttributedCharSequence.ForceMode;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Styled text to escape sequences, keeping every character as it is. JLine's own {@code toAnsi} turns box-drawing
 * characters into ASCII ({@code │} into {@code |}) unless it is told the terminal's alternate-charset switches, which
 * modern UTF-8 terminals do not need; so JLine only makes the SGR sequence of each style, and the text is ours.
 */
public final class Ansi {
    private static final String RESET = "\u001b[0m";

    private final int colors;
    private final ForceMode force;
    private final Map<AttributedStyle, String> sgr = new HashMap<>();

    /** @param colors 0 (no escapes at all), 8, 16, 256 or {@code 1 << 24} */
    public Ansi(int colors) {
        this.colors = colors;
        this.force = colors >= 1 << 24 ? ForceMode.ForceTrueColors : colors >= 256 ? ForceMode.Force256Colors : ForceMode.None;
    }

    public String encode(AttributedString line) {
        if (colors == 0) return line.toString();
        var out = new StringBuilder(line.length() + 16);
        int i = 0;
        while (i < line.length()) {
            int end = line.runLimit(i);
            String start = sgr.computeIfAbsent(line.styleAt(i), this::startOf);
            // each run closes itself, so no style leaks into the next run or past the line
            if (start.isEmpty()) out.append(line, i, end);
            else out.append(start).append(line, i, end).append(RESET);
            i = end;
        }
        return out.toString();
    }

    /** The SGR that starts {@code style}: what JLine writes before a plain character in it. */
    private String startOf(AttributedStyle style) {
        String probe = new AttributedString("x", style).toAnsi(colors, force);
        int x = probe.indexOf('x');
        return x <= 0 ? "" : probe.substring(0, x);
    }
}
