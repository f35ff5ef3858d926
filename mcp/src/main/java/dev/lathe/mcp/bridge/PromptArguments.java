package dev.lathe.mcp.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of {@code /NAME:prompt ARGS} read onto the prompt's declared arguments. ARGS are words separated by
 * whitespace; a word in double quotes may hold spaces ({@code "New York"}). A word {@code key=value} whose key is a
 * declared argument sets that argument ({@code city=Paris}, {@code city="New York"}); every other word is positional and
 * fills the arguments not set by key, in the order the server declares them, the last one taking all the words left
 * (with no {@code key=} word on the line, the rest of the text exactly as written, line breaks included, as a custom
 * command's {@code $ARGUMENTS}). Text given to a prompt that declares no argument (or has every argument set by key)
 * is not lost: it is {@link Read#extra}, which the user message carries after the prompt's text.
 */
final class PromptArguments {
    private PromptArguments() {}

    /** The values by argument name, and the text no argument took. */
    record Read(Map<String, String> values, Optional<String> extra) {}

    private record Word(String text, int start, boolean quoted) {}

    static Read read(ServerPrompts.PromptCommand command, String line) {
        String rest = line == null ? "" : line.strip();
        List<Word> words = words(rest);
        List<String> declared = command.arguments().stream().map(ServerPrompts.Argument::name).toList();
        Map<String, String> named = new LinkedHashMap<>();
        List<Word> positional = new ArrayList<>();
        for (Word w : words) {
            int eq = w.text().indexOf('=');
            String key = eq > 0 && !w.quoted() ? w.text().substring(0, eq) : "";
            if (declared.contains(key) && !named.containsKey(key)) named.put(key, unquote(w.text().substring(eq + 1)));
            else positional.add(w);
        }
        List<String> open = declared.stream().filter(n -> !named.containsKey(n)).toList();
        Map<String, String> values = new LinkedHashMap<>();
        int used = 0;
        for (int i = 0; i < open.size() && used < positional.size(); i++) {
            if (i == open.size() - 1) {
                values.put(open.get(i), remaining(rest, positional, used, named.isEmpty()));
                used = positional.size();
            } else {
                values.put(open.get(i), positional.get(used++).text());
            }
        }
        values.putAll(named);
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String n : declared) if (values.containsKey(n)) ordered.put(n, values.get(n));
        Optional<String> extra = used < positional.size() ? Optional.of(remaining(rest, positional, used, named.isEmpty())) : Optional.empty();
        return new Read(ordered, extra);
    }

    /** The words from {@code from} on: the raw text when nothing was named (so line breaks survive), else the words joined. */
    private static String remaining(String line, List<Word> positional, int from, boolean raw) {
        if (from == positional.size() - 1) return positional.get(from).text();
        if (raw) return line.substring(positional.get(from).start()).strip();
        return String.join(" ", positional.subList(from, positional.size()).stream().map(Word::text).toList());
    }

    private static List<Word> words(String line) {
        var out = new ArrayList<Word>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            var word = new StringBuilder();
            boolean quoted = line.charAt(i) == '"';
            boolean inQuotes = false;
            while (i < n && (inQuotes || !Character.isWhitespace(line.charAt(i)))) {
                char c = line.charAt(i);
                if (c == '"' && (inQuotes || line.indexOf('"', i + 1) > 0)) inQuotes = !inQuotes;
                word.append(c);
                i++;
            }
            String text = word.toString();
            out.add(new Word(quoted ? unquote(text) : text, start, quoted));
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
