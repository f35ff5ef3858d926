package dev.lathe.core.commandfile;

import dev.lathe.mcp.bridge.ResourceMention;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a custom command (arguments already substituted) cut into what is sent as written and what must be
 * resolved first: {@code !`cmd`} (a shell command whose output replaces it) and {@code @path} (a file to include).
 *
 * <p>Markdown code stays literal: nothing inside a fenced block ({@code ```} or {@code ~~~}) or an inline code span
 * is resolved, so a template can show {@code @Override} or {@code !`x`} in code. An {@code @} counts only at the start
 * of a word (not in {@code me@example.com}); the path runs to the next space or backtick, without trailing
 * punctuation ({@code see @a.md.} names {@code a.md}). An MCP resource mention {@code @server:uri} is not a path: it
 * stays text, and is attached when the command's text is sent as a prompt. A {@code !`cmd`} must close on its line.
 */
public final class CommandTemplate {
    private CommandTemplate() {}

    /** One piece of a command's text. */
    public sealed interface Piece {
        record Literal(String text) implements Piece {}

        record Shell(String command) implements Piece {}

        record Include(String path) implements Piece {}
    }

    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}\"'";

    public static List<Piece> parse(String text) {
        var pieces = new ArrayList<Piece>();
        var literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (i == 0 || text.charAt(i - 1) == '\n') {
                int fenceEnd = fencedBlockEnd(text, i);
                if (fenceEnd > i) {
                    literal.append(text, i, fenceEnd);
                    i = fenceEnd;
                    continue;
                }
            }
            char c = text.charAt(i);
            if (c == '!' && i + 1 < n && text.charAt(i + 1) == '`') {
                int close = text.indexOf('`', i + 2);
                int eol = text.indexOf('\n', i + 2);
                if (close > i + 2 && (eol < 0 || close < eol) && !text.substring(i + 2, close).isBlank()) {
                    flush(literal, pieces);
                    pieces.add(new Piece.Shell(text.substring(i + 2, close).strip()));
                    i = close + 1;
                    continue;
                }
            }
            if (c == '`') {
                int run = run(text, i, '`');
                int close = closingRun(text, i + run, run);
                int end = close < 0 ? i + run : close + run;
                literal.append(text, i, end);
                i = end;
                continue;
            }
            if (c == '@' && (i == 0 || startsWord(text.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '`') end++;
                int pathEnd = end;
                while (pathEnd > i + 1 && TRAILING_PUNCTUATION.indexOf(text.charAt(pathEnd - 1)) >= 0) pathEnd--;
                if (pathEnd > i + 1 && isResource(text.substring(i, pathEnd))) {
                    // @server:uri is an MCP resource, attached when the text is sent as a prompt: it stays text here
                    literal.append(text, i, pathEnd);
                    i = pathEnd;
                    continue;
                }
                if (pathEnd > i + 1) {
                    flush(literal, pieces);
                    pieces.add(new Piece.Include(text.substring(i + 1, pathEnd)));
                    i = pathEnd;
                    continue;
                }
            }
            literal.append(c);
            i++;
        }
        flush(literal, pieces);
        return List.copyOf(pieces);
    }

    /** Whether the template needs resolving (a command to run or a file to read) before it can be sent. */
    public static boolean isPlain(List<Piece> pieces) {
        return pieces.stream().allMatch(Piece.Literal.class::isInstance);
    }

    /** The text of plain {@code pieces}: their literals, joined (the template they were parsed from). */
    public static String joined(List<Piece> pieces) {
        var out = new StringBuilder();
        for (Piece p : pieces) if (p instanceof Piece.Literal l) out.append(l.text());
        return out.toString();
    }

    private static boolean isResource(String word) {
        List<ResourceMention> mentions = ResourceMention.in(word);
        return mentions.size() == 1 && mentions.getFirst().toString().equals(word);
    }

    private static boolean startsWord(char previous) {
        return !(Character.isLetterOrDigit(previous) || previous == '_' || previous == '@' || previous == '.' || previous == '/');
    }

    private static void flush(StringBuilder literal, List<Piece> pieces) {
        if (literal.isEmpty()) return;
        pieces.add(new Piece.Literal(literal.toString()));
        literal.setLength(0);
    }

    /**
     * Where the fenced code block opening on the line at {@code start} ends (after its closing fence line, or at the end
     * of the text); {@code start} when no fence opens there.
     */
    private static int fencedBlockEnd(String text, int start) {
        int i = start;
        while (i < text.length() && i - start < 3 && text.charAt(i) == ' ') i++;
        if (i >= text.length() || (text.charAt(i) != '`' && text.charAt(i) != '~')) return start;
        char fence = text.charAt(i);
        int length = run(text, i, fence);
        if (length < 3) return start;
        int line = text.indexOf('\n', i);
        while (line >= 0) {
            int next = line + 1;
            int j = next;
            while (j < text.length() && j - next < 3 && text.charAt(j) == ' ') j++;
            int closing = run(text, j, fence);
            int eol = text.indexOf('\n', j);
            if (closing >= length && text.substring(j + closing, eol < 0 ? text.length() : eol).isBlank()) return eol < 0 ? text.length() : eol + 1;
            line = eol;
        }
        return text.length();
    }

    private static int run(String text, int start, char c) {
        int i = start;
        while (i < text.length() && text.charAt(i) == c) i++;
        return i - start;
    }

    /** The start of the next run of exactly {@code length} backticks from {@code from}; -1 if none. */
    private static int closingRun(String text, int from, int length) {
        int i = text.indexOf('`', from);
        while (i >= 0) {
            int r = run(text, i, '`');
            if (r == length) return i;
            i = text.indexOf('`', i + r);
        }
        return -1;
    }
}
