package dev.lathe.term;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Characters that must never reach a terminal as they are, made visible instead (issue 25, terminal injection). A file
 * name, a tool's output, the model's text, an error or a session title may carry escape sequences — a CSI that moves
 * the cursor or clears the screen, an OSC that sets the window title, writes the clipboard (OSC 52) or hides a link
 * (OSC 8), a DCS or APC the terminal executes — or bidirectional overrides that show code in another order than it
 * runs. Every such character is shown as text: C0 controls and DEL as their Unicode control pictures, one column
 * each, as the markdown renderer already shows them ({@code ESC} is {@code ␛}, {@code BEL} {@code ␇}, a lone
 * {@code CR} {@code ␍}), C1 controls and the bidi overrides and isolates as {@code <U+009B>}, {@code <U+202E>}. With
 * the introducer of every sequence visible, no sequence can start, so the rest of it is harmless text.
 *
 * <p>Three forms: {@link #line} for a screen line (tabs expanded to 8-column stops, a line's closing {@code CR} of a
 * CRLF file dropped, a newline inside a line made visible, since the layout already broke the lines), {@link #stream}
 * for text printed as a stream ({@code lathe run} on a terminal: newlines, tabs and CRLF kept), and {@link #json} for
 * JSON a command prints (controls as JSON escapes, so the value is unchanged). This class is the one sanitiser of
 * DESIGN §24 "Untrusted text is never raw on a terminal": the screens, {@link TerminalSafeStream} and the command
 * line's {@code TerminalOutput} (app) all decide what a control is here.
 */
public final class VisibleControls {
    private static final int TAB = 8;

    private VisibleControls() {}

    /** Whether {@code cp} must not reach a terminal raw: C0 and C1 controls, DEL, bidi embeddings, overrides and isolates. */
    public static boolean isControl(int cp) {
        return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /**
     * {@code json}, a JSON text, with every control written as its JSON escape ({@code \u009b}, {@code \u202e}): the
     * same JSON value, nothing a terminal obeys. A JSON writer escapes C0 controls itself but leaves C1 controls and the
     * bidi overrides raw; in JSON text such a character can only stand inside a string, where the escape means the same.
     * Newlines and tabs (whitespace between tokens) are kept.
     */
    public static String json(String json) {
        if (!needsChange(json)) return json;
        var out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\n' || c == '\t' || !isControl(c)) out.append(c);
            else out.append(jsonEscape(c));
        }
        return out.toString();
    }

    /** The JSON escape of one character: {@code \u001b}. */
    public static String jsonEscape(int cp) {
        return String.format("\\u%04x", cp);
    }

    /** How {@code cp}, a {@link #isControl control}, is shown: {@code ␛} for ESC, {@code <U+202E>} for RLO. */
    public static String visible(int cp) {
        if (cp < 0x20) return String.valueOf((char) (0x2400 + cp));
        if (cp == 0x7f) return "\u2421";
        return String.format("<U+%04X>", cp);
    }

    /** Whether {@code text} holds anything {@link #line} would change: most lines do not and are kept as they are. */
    private static boolean needsChange(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) return true;
        }
        return false;
    }

    /** {@link #line} for plain text. */
    public static String line(String text) {
        return needsChange(text) ? line(new AttributedString(text)).toString() : text;
    }

    /**
     * {@code line} as it may be drawn on one screen row: controls visible in the style of the character they replace,
     * tabs expanded, a trailing {@code CR} (a CRLF line end) dropped.
     */
    public static AttributedString line(AttributedString line) {
        if (!needsChange(line)) return line;
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') end--;
        var out = new AttributedStringBuilder(end + 16);
        for (int i = 0; i < end; ) {
            int cp = Character.codePointAt(line, i);
            AttributedStyle style = line.styleAt(i);
            int width = Character.charCount(cp);
            if (cp == '\t') {
                int column = out.columnLength();
                out.append(" ".repeat(TAB - column % TAB), style);
            } else if (isControl(cp)) {
                out.append(visible(cp), style);
            } else {
                out.append(line.subSequence(i, i + width));
            }
            i += width;
        }
        return out.toAttributedString();
    }

    /**
     * {@code text} for a stream a terminal shows as it comes: newlines, tabs and CRLF line ends kept, every other control
     * visible (a {@code CR} that ends {@code text} too: {@link TerminalSafeStream}, which sees text in pieces, holds such
     * a {@code CR} back until it knows what follows).
     */
    public static String stream(String text) {
        if (!needsChange(text)) return text;
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            boolean crlf = cp == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (cp == '\n' || cp == '\t' || crlf || !isControl(cp)) out.appendCodePoint(cp);
            else out.append(visible(cp));
            i += width;
        }
        return out.toString();
    }
}
