package dev.lathe.mcp.bridge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code @NAME:uri} in a prompt: the resource {@code uri} of the MCP server configured as {@code server} (DESIGN
 * §14). The grammar, exactly:
 *
 * <ul>
 *   <li>{@code @} at the start of the text or after a character that is not a letter, digit, {@code _ - . / : @}
 *       (so {@code me@host:smtp://x} and {@code a/@b:c:d} are not mentions);
 *   <li>NAME: {@code [A-Za-z0-9_-]+}, a server name as the configuration allows it ({@code @src/A.java:12} is a
 *       file, never a resource: {@code /} and {@code .} cannot be in a NAME);
 *   <li>{@code :}, then a URI with a scheme: {@code [A-Za-z][A-Za-z0-9+.-]*:} followed by at least one character; the
 *       URI runs to the next whitespace or backtick, without trailing {@code . , ; : ! ? ) ] } " '} (the punctuation
 *       of the sentence around it, as for {@code @path} in commands).
 * </ul>
 *
 * So {@code @alice}, {@code @build} (an agent), {@code @notes:12} (no scheme) and {@code @bob:matrix.org} stay text.
 * Nothing inside Markdown code (a fenced block or an inline code span) is a mention.
 */
public record ResourceMention(String server, String uri) {
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_./:@-])@([A-Za-z0-9_-]+):([A-Za-z][A-Za-z0-9+.-]*:[^\\s`]+)");
    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}\"'";

    /** As the user wrote it: {@code @server:uri}. */
    @Override
    public String toString() { return "@" + server + ":" + uri; }

    /** The distinct mentions of {@code text}, in order of first appearance. */
    public static List<ResourceMention> in(String text) {
        var found = new LinkedHashSet<ResourceMention>();
        Matcher m = MENTION.matcher(withoutCode(text));
        while (m.find()) {
            String uri = m.group(2);
            int end = uri.length();
            while (end > 0 && TRAILING_PUNCTUATION.indexOf(uri.charAt(end - 1)) >= 0) end--;
            uri = uri.substring(0, end);
            int colon = uri.indexOf(':');
            if (colon > 0 && colon < uri.length() - 1) found.add(new ResourceMention(m.group(1), uri));
        }
        return List.copyOf(new ArrayList<>(found));
    }

    /** {@code text} with Markdown code (fenced blocks, inline spans) blanked out, same length, so nothing in it matches. */
    static String withoutCode(String text) {
        var out = new StringBuilder(text);
        int i = 0;
        int n = text.length();
        while (i < n) {
            boolean lineStart = i == 0 || text.charAt(i - 1) == '\n';
            if (lineStart && (text.startsWith("```", i) || text.startsWith("~~~", i))) {
                String fence = text.substring(i, i + 3);
                int close = text.indexOf("\n" + fence, i + 3);
                int end = close < 0 ? n : Math.min(n, close + 4);
                blank(out, i, end);
                i = end;
                continue;
            }
            if (text.charAt(i) == '`') {
                int run = i;
                while (run < n && text.charAt(run) == '`') run++;
                String ticks = text.substring(i, run);
                int close = text.indexOf(ticks, run);
                if (close < 0) {
                    i = run;
                    continue;
                }
                blank(out, i, close + ticks.length());
                i = close + ticks.length();
                continue;
            }
            i++;
        }
        return out.toString();
    }

    private static void blank(StringBuilder out, int from, int to) {
        for (int j = from; j < to; j++) if (out.charAt(j) != '\n') out.setCharAt(j, ' ');
    }
}
