package dev.lathe.core.info;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * How well a file path matches what a user typed after {@code @}, in the manner of fzf: the query's characters must
 * appear in the path in order (case-insensitively); the best placement of them wins, scored with bonuses for
 * characters that start a word (after {@code / _ - .} or a space, or a camelCase hump) or follow the previous match
 * directly, and penalties for gaps. Matches in the file name count extra, so {@code main} ranks {@code src/Main.java}
 * above {@code main/src/Other.java}. A query with spaces is several terms that must all match.
 *
 * <p>Dynamic programming over (query character, path position): O(query × path) per path, no allocation beyond two
 * rows, so ten thousand paths score in a few milliseconds.
 */
final class FuzzyScore {
    static final int MATCH = 16;
    static final int BOUNDARY = 10;
    static final int CAMEL = 8;
    static final int CONSECUTIVE = 4;
    static final int FILE_NAME = 6;
    static final int GAP_START = 3;
    static final int GAP_EXTEND = 1;
    private static final int NONE = Integer.MIN_VALUE / 4;

    private FuzzyScore() {}

    /** The score of {@code path} for {@code query}, empty when some term does not match at all. */
    static OptionalInt score(String query, String path) {
        int total = 0;
        for (String term : query.strip().split("\\s+")) {
            if (term.isEmpty()) continue;
            OptionalInt s = term(term, path);
            if (s.isEmpty()) return OptionalInt.empty();
            total += s.getAsInt();
        }
        return OptionalInt.of(total);
    }

    private static OptionalInt term(String term, String path) {
        int m = term.length();
        int n = path.length();
        if (m > n) return OptionalInt.empty();
        String q = term.toLowerCase(java.util.Locale.ROOT);
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (!subsequence(q, p)) return OptionalInt.empty();
        int nameStart = path.lastIndexOf('/') + 1;
        // prev[j]: best score with the previous query character matched exactly at j; prevRun[j]: the word bonus its
        // run of consecutive matches started with, which the rest of the run keeps (fzf's rule: "Main" after a slash
        // is as good as its "M")
        int[] prev = new int[n];
        int[] prevRun = new int[n];
        int[] cur = new int[n];
        int[] curRun = new int[n];
        for (int j = 0; j < n; j++) {
            prev[j] = p.charAt(j) == q.charAt(0) ? MATCH + word(path, j) + name(j, nameStart) : NONE;
            prevRun[j] = word(path, j);
        }
        for (int i = 1; i < m; i++) {
            Arrays.fill(cur, NONE);
            char c = q.charAt(i);
            int carried = NONE;  // best prev[k] for k < j-1, less the gap it leaves
            for (int j = 1; j < n; j++) {
                if (j >= 2) carried = Math.max(carried == NONE ? NONE : carried - GAP_EXTEND, prev[j - 2] == NONE ? NONE : prev[j - 2] - GAP_START);
                if (p.charAt(j) != c) continue;
                int word = word(path, j);
                int base = MATCH + name(j, nameStart);
                int direct = prev[j - 1] == NONE ? NONE : prev[j - 1] + CONSECUTIVE + base + Math.max(word, prevRun[j - 1]);
                int gapped = carried == NONE ? NONE : carried + base + word;
                if (direct >= gapped && direct != NONE) {
                    cur[j] = direct;
                    curRun[j] = Math.max(word, prevRun[j - 1]);
                } else if (gapped != NONE) {
                    cur[j] = gapped;
                    curRun[j] = word;
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
            t = prevRun;
            prevRun = curRun;
            curRun = t;
        }
        int best = NONE;
        for (int v : prev) best = Math.max(best, v);
        return best == NONE ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** The bonus for a character that starts a word. */
    private static int word(String path, int j) {
        if (j == 0) return BOUNDARY;
        char before = path.charAt(j - 1);
        char at = path.charAt(j);
        if (before == '/' || before == '_' || before == '-' || before == '.' || before == ' ') return BOUNDARY;
        if (Character.isLowerCase(before) && Character.isUpperCase(at)) return CAMEL;
        return 0;
    }

    private static int name(int j, int nameStart) {
        return j >= nameStart ? FILE_NAME : 0;
    }

    private static boolean subsequence(String q, String p) {
        int i = 0;
        for (int j = 0; j < p.length() && i < q.length(); j++) if (p.charAt(j) == q.charAt(i)) i++;
        return i == q.length();
    }
}
