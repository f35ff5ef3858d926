package dev.lathe.tui.text;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * How each {@link Role} looks. Colours are the terminal's own 16 (so they follow the user's palette) unless the
 * config names a 256-colour index or {@code #rrggbb}. {@link #withoutColor()} keeps bold, faint, italic, underline
 * and inverse but drops every colour, for {@code NO_COLOR}.
 */
public final class Theme {
    private final Map<Role, AttributedStyle> styles;
    private final boolean color;

    private Theme(Map<Role, AttributedStyle> styles, boolean color) {
        this.styles = styles;
        this.color = color;
    }

    /** The default theme, readable on dark and light backgrounds alike. */
    public static Theme standard() {
        var s = new EnumMap<Role, AttributedStyle>(Role.class);
        AttributedStyle d = AttributedStyle.DEFAULT;
        s.put(Role.TEXT, d);
        s.put(Role.MUTED, d.faint());
        s.put(Role.ACCENT, d.foreground(AttributedStyle.CYAN));
        s.put(Role.USER, d.bold().foreground(AttributedStyle.BLUE | AttributedStyle.BRIGHT));
        s.put(Role.HEADING, d.bold().foreground(AttributedStyle.MAGENTA));
        s.put(Role.EMPHASIS, d.italic());
        s.put(Role.STRONG, d.bold());
        s.put(Role.LINK, d.underline().foreground(AttributedStyle.BLUE));
        s.put(Role.INLINE_CODE, d.foreground(AttributedStyle.YELLOW));
        s.put(Role.CODE, d);
        s.put(Role.KEYWORD, d.foreground(AttributedStyle.MAGENTA));
        s.put(Role.STRING, d.foreground(AttributedStyle.GREEN));
        s.put(Role.COMMENT, d.faint().italic());
        s.put(Role.NUMBER, d.foreground(AttributedStyle.CYAN));
        s.put(Role.TYPE, d.foreground(AttributedStyle.YELLOW));
        s.put(Role.DIFF_ADDED, d.foreground(AttributedStyle.GREEN));
        s.put(Role.DIFF_REMOVED, d.foreground(AttributedStyle.RED));
        s.put(Role.DIFF_HUNK, d.foreground(AttributedStyle.CYAN).faint());
        s.put(Role.DIFF_CONTEXT, d.faint());
        s.put(Role.TOOL_PENDING, d.faint());
        s.put(Role.TOOL_RUNNING, d.foreground(AttributedStyle.YELLOW));
        s.put(Role.TOOL_DONE, d.foreground(AttributedStyle.GREEN));
        s.put(Role.TOOL_FAILED, d.foreground(AttributedStyle.RED));
        s.put(Role.REASONING, d.faint().italic());
        s.put(Role.ERROR, d.foreground(AttributedStyle.RED).bold());
        s.put(Role.WARNING, d.foreground(AttributedStyle.YELLOW));
        s.put(Role.SUCCESS, d.foreground(AttributedStyle.GREEN));
        s.put(Role.BORDER, d.faint());
        s.put(Role.SELECTED, d.inverse());
        s.put(Role.FOOTER, d.faint());
        s.put(Role.PROMPT, d.bold().foreground(AttributedStyle.CYAN));
        return new Theme(s, true);
    }

    /** Every role plain: what snapshot tests of layout (not colour) compare. */
    public static Theme plain() {
        var s = new EnumMap<Role, AttributedStyle>(Role.class);
        for (Role r : Role.values()) s.put(r, AttributedStyle.DEFAULT);
        return new Theme(s, false);
    }

    public AttributedStyle style(Role role) { return styles.get(role); }

    public AttributedString paint(Role role, String text) { return new AttributedString(text, style(role)); }

    public boolean hasColor() { return color; }

    /**
     * This theme with {@code role} set from a config value: a colour ({@code red}, {@code brightBlue}, {@code 208},
     * {@code #ff8800}) optionally followed by attributes ({@code "bold yellow"}, {@code "dim italic"}).
     *
     * @throws IllegalArgumentException naming what was not understood
     */
    public Theme with(Role role, String spec) {
        var copy = new EnumMap<>(styles);
        copy.put(role, parse(spec));
        return new Theme(copy, color);
    }

    /** For {@code NO_COLOR}: attributes stay, colours go. */
    public Theme withoutColor() {
        var copy = new EnumMap<Role, AttributedStyle>(Role.class);
        styles.forEach((role, st) -> copy.put(role, st.foregroundOff().backgroundOff()));
        return new Theme(copy, false);
    }

    private static final Map<String, Integer> COLORS = Map.of("black", AttributedStyle.BLACK, "red", AttributedStyle.RED,
            "green", AttributedStyle.GREEN, "yellow", AttributedStyle.YELLOW, "blue", AttributedStyle.BLUE,
            "magenta", AttributedStyle.MAGENTA, "cyan", AttributedStyle.CYAN, "white", AttributedStyle.WHITE);

    static AttributedStyle parse(String spec) {
        AttributedStyle st = AttributedStyle.DEFAULT;
        for (String word : spec.trim().split("\\s+")) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.isEmpty() || w.equals("default") || w.equals("none")) continue;
            st = switch (w) {
                case "bold" -> st.bold();
                case "dim", "faint" -> st.faint();
                case "italic" -> st.italic();
                case "underline" -> st.underline();
                case "inverse", "reverse" -> st.inverse();
                default -> st.foreground(color(word));
            };
        }
        return st;
    }

    private static int color(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.startsWith("#") && w.length() == 7) {
            try {
                int rgb = Integer.parseInt(w.substring(1), 16);
                return toXterm256(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad colour '" + word + "' (expected #rrggbb)");
            }
        }
        if (w.matches("\\d{1,3}")) {
            int n = Integer.parseInt(w);
            if (n > 255) throw new IllegalArgumentException("colour index " + n + " is above 255");
            return n;
        }
        boolean bright = w.startsWith("bright");
        Integer base = COLORS.get(bright ? w.substring(6) : w);
        if (base == null) {
            throw new IllegalArgumentException("unknown colour or attribute '" + word
                    + "' (colours: black red green yellow blue magenta cyan white, brightX, 0-255, #rrggbb; attributes: bold dim italic underline inverse)");
        }
        return bright ? base | AttributedStyle.BRIGHT : base;
    }

    /** The nearest colour of the xterm 6×6×6 cube, which every 256-colour terminal has. */
    private static int toXterm256(int r, int g, int b) {
        return 16 + 36 * cube(r) + 6 * cube(g) + cube(b);
    }

    private static int cube(int v) { return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40; }
}
