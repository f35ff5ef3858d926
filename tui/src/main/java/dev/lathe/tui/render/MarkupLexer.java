package dev.lathe.tui.render;

import dev.lathe.tui.render.LanguageState.Open;
import dev.lathe.tui.text.Role;

/**
 * The scanner for {@link Language.Kind#MARKUP}: tag names as keywords, attribute names as types, attribute values as
 * strings, {@code <!-- -->} comments. A tag whose attributes run over several lines keeps its state to the next line.
 */
final class MarkupLexer {
    private static final String COMMENT_OPEN = "<!--";
    private static final String COMMENT_CLOSE = "-->";

    private MarkupLexer() {}

    static Open scan(String line, Open open, Spans out) {
        int i = 0;
        boolean inTag = open instanceof Open.InTag;
        if (open instanceof Open.Until(String close, Role role, boolean escapes)) {
            int end = CodeLexer.closeOf(line, 0, close, escapes);
            if (end < 0) {
                out.add(line, role);
                return open;
            }
            out.add(line.substring(0, end), role);
            i = end;
        }
        while (i < line.length()) {
            if (inTag) {
                i = inTag(line, i, out);
                if (i < 0) return new Open.InTag();
                inTag = false;
                continue;
            }
            if (line.startsWith(COMMENT_OPEN, i)) {
                int end = CodeLexer.closeOf(line, i + COMMENT_OPEN.length(), COMMENT_CLOSE, false);
                if (end < 0) {
                    out.add(line.substring(i), Role.COMMENT);
                    return new Open.Until(COMMENT_CLOSE, Role.COMMENT, false);
                }
                out.add(line.substring(i, end), Role.COMMENT);
                i = end;
            } else if (line.charAt(i) == '<' && i + 1 < line.length() && isTagStart(line.charAt(i + 1))) {
                int end = i + 1;
                while (end < line.length() && isNameChar(line.charAt(end))) end++;
                out.add(line.substring(i, end), Role.KEYWORD);
                i = end;
                inTag = true;
            } else {
                int next = line.indexOf('<', i + 1);
                int end = next < 0 ? line.length() : next;
                out.add(line.substring(i, end), Role.CODE);
                i = end;
            }
        }
        return inTag ? new Open.InTag() : LanguageState.nothing();
    }

    /** Scans attributes from {@code i}; returns the index after the tag's end, or -1 if the line ends inside the tag. */
    private static int inTag(String line, int i, Spans out) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '>' || ((c == '/' || c == '?') && i + 1 < line.length() && line.charAt(i + 1) == '>')) {
                int end = c == '>' ? i + 1 : i + 2;
                out.add(line.substring(i, end), Role.KEYWORD);
                return end;
            }
            if (c == '"' || c == '\'') {
                int end = CodeLexer.closeOf(line, i + 1, String.valueOf(c), false);
                // A value running past the line end is rare enough to paint to the end and stay in the tag.
                int stop = end < 0 ? line.length() : end;
                out.add(line.substring(i, stop), Role.STRING);
                i = stop;
            } else if (isNameChar(c)) {
                int end = i;
                while (end < line.length() && isNameChar(line.charAt(end))) end++;
                out.add(line.substring(i, end), Role.TYPE);
                i = end;
            } else {
                out.add(String.valueOf(c), Role.CODE);
                i++;
            }
        }
        return -1;
    }

    private static boolean isTagStart(char c) {
        return Character.isLetter(c) || c == '/' || c == '!' || c == '?';
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '/' || c == '!' || c == '?';
    }
}
