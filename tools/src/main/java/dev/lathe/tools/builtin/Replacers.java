package dev.lathe.tools.builtin;

import java.util.ArrayList;
import java.util.List;

/**
 * Ways to find {@code oldString} in a file, tried in order until one matches: exact, then tolerant matchers that
 * forgive what models typically get wrong (trailing spaces, whitespace runs, indentation). A tolerant match spans
 * whole lines; the indentation-flexible one also re-indents the replacement.
 */
final class Replacers {
    /** One place to replace: {@code [start, end)} in the text and what goes there. */
    record Match(int start, int end, String replacement) {}

    /** A strategy: every non-overlapping match of {@code find} in {@code text}, given {@code replace}. */
    interface Replacer {
        String name();

        List<Match> find(String text, String find, String replace);
    }

    static final List<Replacer> CHAIN = List.of(new Exact(), new TrimmedLines(), new WhitespaceNormalised(), new IndentationFlexible());

    private Replacers() {}

    static final class Exact implements Replacer {
        @Override public String name() { return "exact"; }

        @Override
        public List<Match> find(String text, String find, String replace) {
            List<Match> out = new ArrayList<>();
            for (int at = text.indexOf(find); at >= 0; at = text.indexOf(find, at + find.length())) out.add(new Match(at, at + find.length(), replace));
            return out;
        }
    }

    /** Line starts of {@code text}, plus a sentinel at the end. */
    static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        int[] out = new int[starts.size()];
        for (int i = 0; i < out.length; i++) out[i] = starts.get(i);
        return out;
    }

    static List<String> lines(String s) {
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return List.of(t.split("\n", -1));
    }

    /** Compares windows of whole lines; a match covers the window without its final newline. */
    abstract static class LineWindow implements Replacer {
        abstract boolean matches(List<String> window, List<String> wanted);

        /**
         * The replacement with indentation repaired line by line: where the model wrote a line with the indentation
         * of its {@code oldString} line but the file's matched line is indented differently (models often drop or
         * change indentation), the file's indentation is used. Extra lines follow the last line's correction.
         */
        String replacement(List<String> window, List<String> wanted, String replace) {
            String r = replace.endsWith("\n") ? replace.substring(0, replace.length() - 1) : replace;
            if (r.isEmpty()) return r;
            List<String> out = new ArrayList<>();
            List<String> lines = List.of(r.split("\n", -1));
            for (int j = 0; j < lines.size(); j++) {
                int k = Math.min(j, wanted.size() - 1);
                String line = lines.get(j);
                String want = leading(wanted.get(k));
                String have = leading(window.get(k));
                if (!want.equals(have) && !line.isBlank() && leading(line).startsWith(want)) {
                    out.add(have + line.substring(want.length()));
                } else {
                    out.add(line);
                }
            }
            return String.join("\n", out);
        }

        static String leading(String line) {
            int k = 0;
            while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) k++;
            return line.substring(0, k);
        }

        @Override
        public List<Match> find(String text, String find, String replace) {
            List<String> wanted = lines(find);
            List<String> all = List.of(text.split("\n", -1));
            int[] starts = lineStarts(text);
            List<Match> out = new ArrayList<>();
            for (int i = 0; i + wanted.size() <= all.size(); i++) {
                List<String> window = all.subList(i, i + wanted.size());
                if (!matches(window, wanted)) continue;
                int start = starts[i];
                int lastLine = i + wanted.size() - 1;
                int end = starts[lastLine] + all.get(lastLine).length();
                out.add(new Match(start, end, replacement(window, wanted, replace)));
                i += wanted.size() - 1;
            }
            return out;
        }
    }

    static final class TrimmedLines extends LineWindow {
        @Override public String name() { return "trimmed-lines"; }

        @Override
        boolean matches(List<String> window, List<String> wanted) {
            for (int i = 0; i < wanted.size(); i++) if (!window.get(i).strip().equals(wanted.get(i).strip())) return false;
            return wanted.stream().anyMatch(l -> !l.isBlank());
        }
    }

    static final class WhitespaceNormalised extends LineWindow {
        @Override public String name() { return "whitespace-normalised"; }

        @Override
        boolean matches(List<String> window, List<String> wanted) {
            return !collapse(String.join("\n", wanted)).isEmpty() && collapse(String.join("\n", window)).equals(collapse(String.join("\n", wanted)));
        }

        static String collapse(String s) { return s.replaceAll("\\s+", " ").strip(); }
    }

    static final class IndentationFlexible extends LineWindow {
        @Override public String name() { return "indentation-flexible"; }

        @Override
        boolean matches(List<String> window, List<String> wanted) {
            return dedent(window).equals(dedent(wanted)) && wanted.stream().anyMatch(l -> !l.isBlank());
        }

        @Override
        String replacement(List<String> window, List<String> wanted, String replace) {
            String indent = commonIndent(window);
            List<String> lines = dedent(lines(replace));
            List<String> out = new ArrayList<>();
            for (String l : lines) out.add(l.isBlank() ? l : indent + l);
            return String.join("\n", out);
        }

        static List<String> dedent(List<String> lines) {
            int n = commonIndent(lines).length();
            return lines.stream().map(l -> l.isBlank() ? "" : l.substring(Math.min(n, l.length()))).toList();
        }

        static String commonIndent(List<String> lines) {
            String best = null;
            for (String l : lines) {
                if (l.isBlank()) continue;
                int k = 0;
                while (k < l.length() && (l.charAt(k) == ' ' || l.charAt(k) == '\t')) k++;
                String indent = l.substring(0, k);
                if (best == null || indent.length() < best.length()) best = indent;
            }
            return best == null ? "" : best;
        }
    }
}
