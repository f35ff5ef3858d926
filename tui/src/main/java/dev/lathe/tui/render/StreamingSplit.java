package dev.lathe.tui.render;

import java.util.regex.Pattern;

/**
 * Where streamed Markdown may be cut so that its first part can be rendered and committed to the terminal's
 * scrollback while the rest is still arriving.
 *
 * <p>A cut is safe right after a blank line that ends a top-level block: outside fenced code (fences tracked by their
 * character and length, as CommonMark does), and not where a list, a table or indented code might continue. Those
 * continue after a blank line when the next line is indented, a list item or a table row, so after one of them the cut
 * waits until the next line has shown that it is none of these. Waiting costs only latency; a wrong cut would render
 * the answer differently once it is whole.
 *
 * <p>Each call reads the whole text, so a caller streaming a long answer should pass only what follows the part it
 * has already committed: that part ended at a block boundary, so the remainder is read the same way on its own.
 */
public final class StreamingSplit {
    private static final Pattern LIST_ITEM = Pattern.compile("^ {0,3}(?:[-+*]|\\d{1,9}[.)])(?:[ \\t]|$)");
    private static final Pattern QUOTE = Pattern.compile("^(?: {0,3}> ?)+");
    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})(.*)$");

    private StreamingSplit() {}

    /**
     * The length of the longest prefix of {@code markdownSoFar} made of complete top-level blocks, ending after the
     * blank line(s) that close them; 0 when there is none yet. {@code render(text.substring(0, n))}, a blank line and
     * {@code render(text.substring(n))} give the lines {@code render(text)} gives, for the documents assistants write
     * (link reference definitions and HTML comments spanning blank lines are the known exceptions).
     */
    public static int stableLength(String markdownSoFar) {
        String text = markdownSoFar;
        int stable = 0;
        boolean mayContinue = false; // the block group since the last cut has a list, a table or indented code
        char fenceChar = 0;
        int fenceLength = 0;
        int fenceIndent = 0;
        int pos = 0;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            boolean complete = eol >= 0;
            String line = complete ? text.substring(pos, eol) : text.substring(pos);
            int next = complete ? eol + 1 : text.length();
            if (fenceChar != 0) {
                if (complete && closesFence(line, fenceChar, fenceLength, fenceIndent)) fenceChar = 0;
                pos = next;
                continue;
            }
            if (line.isBlank()) {
                if (!complete) break;
                int after = skipBlankLines(text, next);
                if (after >= text.length()) {
                    // Nothing after the blank lines yet: enough to end a paragraph, not a list.
                    if (!mayContinue) stable = after;
                    break;
                }
                Decision d = decide(text, after, mayContinue);
                if (d == Decision.UNKNOWN) break;
                if (d == Decision.CUT) {
                    stable = after;
                    mayContinue = false;
                }
                pos = after;
                continue;
            }
            String content = stripQuoteMarkers(line);
            var fence = FENCE.matcher(content);
            if (complete && fence.matches() && (fence.group(2).charAt(0) == '~' || !fence.group(3).contains("`"))) {
                fenceChar = fence.group(2).charAt(0);
                fenceLength = fence.group(2).length();
                fenceIndent = fence.group(1).length();
            } else if (!complete) {
                break;
            }
            if (LIST_ITEM.matcher(content).find() || content.stripLeading().startsWith("|") || content.startsWith("    ")
                    || content.startsWith("\t")) {
                mayContinue = true;
            }
            pos = next;
        }
        return stable;
    }

    private enum Decision { CUT, NO_CUT, UNKNOWN }

    /** Whether the blank line before {@code start} ends the block group, judged by the line at {@code start}. */
    private static Decision decide(String text, int start, boolean mayContinue) {
        if (!mayContinue) return Decision.CUT;
        int eol = text.indexOf('\n', start);
        String line = eol < 0 ? text.substring(start) : text.substring(start, eol);
        char first = line.charAt(0);
        // Decided from the first character when it cannot begin an indent, a list item or a table row.
        boolean ambiguous = first == ' ' || first == '\t' || first == '|' || first == '-' || first == '+' || first == '*'
                || Character.isDigit(first);
        if (ambiguous && eol < 0) return Decision.UNKNOWN;
        boolean continues = first == ' ' || first == '\t' || first == '|' || LIST_ITEM.matcher(line).find();
        return continues ? Decision.NO_CUT : Decision.CUT;
    }

    private static boolean closesFence(String line, char fenceChar, int fenceLength, int fenceIndent) {
        String content = stripQuoteMarkers(line);
        int indent = 0;
        while (indent < content.length() && content.charAt(indent) == ' ') indent++;
        if (indent >= fenceIndent + 4) return false;
        String rest = content.substring(indent).stripTrailing();
        if (rest.length() < fenceLength) return false;
        for (int i = 0; i < rest.length(); i++) if (rest.charAt(i) != fenceChar) return false;
        return true;
    }

    /** A fence inside a quote ({@code > ```}) still hides blank-line cuts until it closes. */
    private static String stripQuoteMarkers(String line) {
        return QUOTE.matcher(line).replaceFirst("");
    }

    private static int skipBlankLines(String text, int from) {
        int pos = from;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0 || !text.substring(pos, eol).isBlank()) return pos;
            pos = eol + 1;
        }
        return pos;
    }
}
