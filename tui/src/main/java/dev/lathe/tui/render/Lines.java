package dev.lathe.tui.render;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.WCWidth;

/** Column-exact line operations shared by the views: hard cuts for code, prefixes for containers, safe text. */
final class Lines {
    static final int TAB = 4;

    private Lines() {}

    /**
     * {@code line} cut into pieces of at most {@code width} columns, never between the halves of a wide character.
     * Code is cut rather than word-wrapped so that what is shown is exactly what is copied.
     */
    static List<AttributedString> hardCut(AttributedString line, int width) {
        var out = new ArrayList<AttributedString>();
        int room = Math.max(1, width);
        int start = 0;
        int columns = 0;
        int i = 0;
        while (i < line.length()) {
            int cp = line.codePointAt(i);
            int w = Math.max(0, WCWidth.wcwidth(cp));
            if (columns + w > room && i > start) {
                out.add(line.subSequence(start, i));
                start = i;
                columns = 0;
            }
            columns += w;
            i += Character.charCount(cp);
        }
        out.add(line.subSequence(start, line.length()));
        return out;
    }

    /** {@code lines} with {@code first} before the first line and {@code rest} before the others. */
    static List<AttributedString> prefixed(List<AttributedString> lines, AttributedString first, AttributedString rest) {
        var out = new ArrayList<AttributedString>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            AttributedString p = i == 0 ? first : rest;
            AttributedString line = lines.get(i);
            // A blank line inside a container gets the prefix without its trailing spaces, so no line ends in blanks.
            out.add(line.length() == 0 ? trimEnd(p) : AttributedString.join(AttributedString.EMPTY, p, line));
        }
        return out;
    }

    static AttributedString trimEnd(AttributedString s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.subSequence(0, end);
    }

    static AttributedString spaces(int n) {
        return new AttributedString(" ".repeat(Math.max(0, n)));
    }

    /** {@code s} cut to {@code width} columns without an ellipsis: the last guard of the width contract. */
    static AttributedString clamp(AttributedString s, int width) {
        return s.columnLength() <= width ? s : s.columnSubSequence(0, Math.max(0, width));
    }

    /**
     * One line of untrusted text made safe to print: tabs expanded to stops of {@value #TAB} (a terminal would
     * otherwise move the cursor by an unknown amount) and other control characters shown as their Unicode pictures
     * (so an escape sequence in a model's output or a file cannot drive the terminal).
     */
    static String clean(String line) {
        boolean plain = true;
        for (int i = 0; i < line.length() && plain; i++) plain = !isControl(line.charAt(i));
        if (plain) return line;
        var sb = new StringBuilder(line.length() + 8);
        int columns = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t') {
                int n = TAB - columns % TAB;
                sb.repeat(' ', n);
                columns += n;
            } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                sb.append(cp == 0x7f ? '\u2421' : cp < 0x20 ? (char) (0x2400 + cp) : '\ufffd');
                columns++;
            } else {
                sb.appendCodePoint(cp);
                columns += Math.max(0, WCWidth.wcwidth(cp));
            }
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }

    static AttributedString styled(String text, AttributedStyle style) {
        return new AttributedStringBuilder().style(style).append(text).toAttributedString();
    }
}
