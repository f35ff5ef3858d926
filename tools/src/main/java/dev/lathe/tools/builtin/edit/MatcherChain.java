package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds {@code oldString} in a file by trying the matchers from strict to tolerant. The first matcher that finds
 * exactly one place wins. A matcher that finds several does not: a later, differently tolerant one may single out
 * one place (indentation-flexible respects nesting that trimmed-lines ignores); only when none does is the edit
 * reported as ambiguous, with the count the first of them found.
 */
public final class MatcherChain {
    public static final List<Matcher> MATCHERS = List.of(new ExactMatcher(), new TrimmedLinesMatcher(), new BlockAnchorMatcher(),
            new WhitespaceNormalisedMatcher(), new IndentationFlexibleMatcher(), new EscapeNormalisedMatcher(),
            new TrimmedBoundaryMatcher(), new ContextAwareMatcher());

    private static final int CLOSEST_CONTEXT_LINES = 6;

    private MatcherChain() {}

    /** What became of an edit. */
    public sealed interface Outcome {
        /** {@code text} is the new content; {@code matcher} names the matcher that found the place(s). */
        record Replaced(String text, int count, String matcher) implements Outcome {}

        record Ambiguous(int count) implements Outcome {}

        /** {@code closest} is a numbered excerpt of the most similar lines, or empty when nothing is close. */
        record NotFound(String closest) implements Outcome {}
    }

    /** Both strings and the text use LF line endings; {@code oldString} is not empty. */
    public static Outcome replace(String text, String oldString, String newString, boolean replaceAll) {
        int ambiguous = 0;
        for (Matcher matcher : MATCHERS) {
            List<Match> matches = nonOverlapping(matcher.find(text, oldString, newString));
            if (matches.size() == 1 || (replaceAll && !matches.isEmpty())) {
                return new Outcome.Replaced(apply(text, matches), matches.size(), matcher.name());
            }
            if (matches.size() > 1 && ambiguous == 0) ambiguous = matches.size();
        }
        return ambiguous > 0 ? new Outcome.Ambiguous(ambiguous) : new Outcome.NotFound(closest(text, oldString));
    }

    static String apply(String text, List<Match> matches) {
        var out = new StringBuilder(text.length());
        int at = 0;
        for (Match m : matches) {
            out.append(text, at, m.start()).append(m.replacement());
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** Sorted by position, dropping any match that overlaps an earlier one (a defensive guard for every matcher). */
    static List<Match> nonOverlapping(List<Match> matches) {
        List<Match> out = new ArrayList<>();
        int end = -1;
        for (Match m : matches.stream().sorted(Comparator.comparingInt(Match::start)).toList()) {
            if (m.start() < end) continue;
            out.add(m);
            end = Math.max(m.end(), m.start() + 1);
        }
        return out;
    }

    /** The file lines most like {@code oldString}'s first non-blank line, numbered as {@code read} shows them. */
    static String closest(String text, String oldString) {
        String probe = Lines.split(oldString).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (probe.isEmpty()) return "";
        Lines lines = Lines.of(text);
        int best = -1;
        double bestScore = 0.5;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            // a length gap this large caps the ratio below the bar; skipping keeps big files cheap
            if (Math.abs(line.length() - probe.length()) * 2 > Math.max(line.length(), probe.length())) continue;
            double score = Similarity.ratio(line, probe);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        if (best < 0) return "";
        int span = Math.min(CLOSEST_CONTEXT_LINES, Math.max(1, Lines.split(oldString).size()));
        int from = Math.max(0, best - 1);
        int to = Math.min(lines.size(), best + span + 1);
        var out = new StringBuilder();
        for (int i = from; i < to; i++) out.append(String.format(Locale.ROOT, "%6d\t%s\n", i + 1, lines.get(i)));
        return out.toString().stripTrailing();
    }
}
