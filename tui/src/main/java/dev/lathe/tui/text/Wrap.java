package dev.lathe.tui.text;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Word wrapping by display columns (wide characters count two), keeping styles. Breaks at spaces; a word longer
 * than the width is cut. Newlines in the input start new lines.
 */
public final class Wrap {
    private Wrap() {}

    /** {@code text} in lines of at most {@code width} columns. */
    public static List<AttributedString> lines(AttributedString text, int width) {
        return lines(text, width, AttributedString.EMPTY, AttributedString.EMPTY);
    }

    /**
     * {@code text} in lines of at most {@code width} columns, the first starting with {@code first} and the others with
     * {@code rest} (a hanging indent such as a list bullet and the spaces under it).
     */
    public static List<AttributedString> lines(AttributedString text, int width, AttributedString first, AttributedString rest) {
        var out = new ArrayList<AttributedString>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                wrapOne(text.subSequence(start, i), width, out.isEmpty() ? first : rest, rest, out);
                start = i + 1;
            }
        }
        return out;
    }

    private static void wrapOne(AttributedString line, int width, AttributedString first, AttributedString rest, List<AttributedString> out) {
        AttributedString prefix = first;
        int pos = 0;
        boolean emitted = false;
        while (pos < line.length() || !emitted) {
            int room = Math.max(1, width - prefix.columnLength());
            AttributedString remaining = line.subSequence(pos, line.length());
            if (remaining.columnLength() <= room) {
                out.add(AttributedString.join(AttributedString.EMPTY, prefix, remaining));
                return;
            }
            int cut = cutAt(remaining, room);
            AttributedString head = remaining.subSequence(0, cut);
            out.add(AttributedString.join(AttributedString.EMPTY, prefix, trimEnd(head)));
            emitted = true;
            pos += cut;
            while (pos < line.length() && line.charAt(pos) == ' ') pos++;
            prefix = rest;
            if (pos >= line.length()) return;
        }
    }

    /** The index to cut {@code s} at so that the head fits {@code room} columns: after the last space that fits, else hard. */
    private static int cutAt(AttributedString s, int room) {
        int columns = 0;
        int lastSpace = -1;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int w = Math.max(0, org.jline.utils.WCWidth.wcwidth(cp));
            if (columns + w > room) break;
            if (cp == ' ') lastSpace = i;
            columns += w;
            i += Character.charCount(cp);
        }
        if (i >= s.length()) return s.length();
        if (s.charAt(i) == ' ') return i;
        return lastSpace > 0 ? lastSpace : Math.max(i, 1);
    }

    private static AttributedString trimEnd(AttributedString s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.subSequence(0, end);
    }

    /** {@code s} cut to {@code width} columns, ending in {@code …} when it was longer. */
    public static AttributedString truncate(AttributedString s, int width) {
        if (s.columnLength() <= width) return s;
        if (width <= 1) return s.columnSubSequence(0, Math.max(0, width));
        var b = new AttributedStringBuilder();
        b.append(s.columnSubSequence(0, width - 1));
        b.append("…");
        return b.toAttributedString();
    }

    /** {@code s} padded with spaces to exactly {@code width} columns (cut when longer). */
    public static AttributedString pad(AttributedString s, int width) {
        AttributedString cut = truncate(s, width);
        int missing = width - cut.columnLength();
        if (missing <= 0) return cut;
        return AttributedString.join(AttributedString.EMPTY, cut, new AttributedString(" ".repeat(missing)));
    }
}
