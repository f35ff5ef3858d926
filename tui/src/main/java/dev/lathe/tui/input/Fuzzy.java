package dev.lathe.tui.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Fuzzy matching for completion lists and pickers: the query's characters must appear in the candidate in order
 * (case-insensitive; a space in the query matches any separator such as {@code -}, {@code /} or a space). Among
 * matches, higher scores go to consecutive runs, matches at the start, at path segments and word starts (after
 * {@code / - _ .}, a space, or a camelCase hump), fewer unmatched leading characters, and then shorter candidates.
 * The scoring is a small dynamic program in the spirit of fzf's: it finds the best alignment, not the first.
 */
public final class Fuzzy {
    private Fuzzy() {}

    private static final int MATCH = 16;
    private static final int GAP_START = -3;
    private static final int GAP_EXTENSION = -1;
    private static final int CONSECUTIVE = 4;
    private static final int BONUS_START = 10;
    private static final int BONUS_SEGMENT = 9;
    private static final int BONUS_WORD = 8;
    private static final int BONUS_CAMEL = 7;
    private static final int LEADING_PENALTY = 2;
    private static final int LEADING_PENALTY_MAX = 10;
    /** Alignment points are scaled by this so the candidate's length only ever breaks ties. */
    private static final int SCALE = 64;
    private static final int NONE = Integer.MIN_VALUE / 4;

    /** The match score of {@code query} in {@code candidate}, higher is better; empty when it does not match. */
    public static OptionalInt score(String query, String candidate) {
        int[] q = query.toLowerCase(java.util.Locale.ROOT).codePoints().toArray();
        int[] original = candidate.codePoints().toArray();
        int[] c = candidate.toLowerCase(java.util.Locale.ROOT).codePoints().toArray();
        if (q.length == 0) return OptionalInt.of(0);
        // Lower-casing rarely changes the length (İ, say); then compare as typed rather than misalign the bonuses.
        if (c.length != original.length) c = original;
        if (!isSubsequence(q, c)) return OptionalInt.empty();
        int n = c.length;
        int[] bonus = new int[n];
        for (int j = 0; j < n; j++) bonus[j] = bonus(original, j);

        // prev/cur: best score with query char i matched at j; the *Run arrays hold the bonus a consecutive run
        // carries on with, that of the character where the run started (fzf's rule), so "compact" beats "c-o-m-p".
        int[] prev = new int[n];
        int[] cur = new int[n];
        int[] prevRun = new int[n];
        int[] curRun = new int[n];
        for (int j = 0; j < n; j++) {
            // The first query character's bonus counts double: where a match starts matters most.
            prev[j] = matches(q[0], c[j]) ? MATCH + 2 * bonus[j] - Math.min(LEADING_PENALTY * j, LEADING_PENALTY_MAX) : NONE;
            prevRun[j] = bonus[j];
        }
        for (int i = 1; i < q.length; i++) {
            int gap = NONE;
            for (int j = 0; j < n; j++) {
                if (j >= 2) gap = Math.max(gap + GAP_EXTENSION, prev[j - 2] + GAP_START);
                if (j == 0 || !matches(q[i], c[j])) {
                    cur[j] = NONE;
                    continue;
                }
                int runBonus = Math.max(prevRun[j - 1], Math.max(CONSECUTIVE, bonus[j]));
                int consecutive = prev[j - 1] + MATCH + runBonus;
                int afterGap = gap + MATCH + bonus[j];
                cur[j] = Math.max(consecutive, afterGap) < NONE / 2 ? NONE : Math.max(consecutive, afterGap);
                curRun[j] = consecutive >= afterGap ? runBonus : bonus[j];
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
        if (best < NONE / 2) return OptionalInt.empty();
        return OptionalInt.of(best * SCALE - Math.min(n, SCALE - 1));
    }

    /**
     * The items that match {@code query}, best first; equal scores keep their input order. An empty query keeps
     * every item in its order.
     */
    public static <T> List<T> rank(String query, List<T> items, Function<T, String> key) {
        record Scored<T>(T item, int score) {}
        var scored = new ArrayList<Scored<T>>();
        for (T item : items) {
            OptionalInt s = score(query, key.apply(item));
            if (s.isPresent()) scored.add(new Scored<>(item, s.getAsInt()));
        }
        // List.sort is stable, which keeps input order among ties.
        scored.sort(Comparator.comparingInt((Scored<T> s) -> s.score()).reversed());
        return scored.stream().map(Scored::item).toList();
    }

    private static boolean matches(int q, int c) {
        return q == c || (q == ' ' && !Character.isLetterOrDigit(c));
    }

    private static boolean isSubsequence(int[] q, int[] c) {
        int i = 0;
        for (int j = 0; j < c.length && i < q.length; j++) if (matches(q[i], c[j])) i++;
        return i == q.length;
    }

    private static int bonus(int[] s, int j) {
        if (j == 0) return BONUS_START;
        int before = s[j - 1];
        int at = s[j];
        if (!Character.isLetterOrDigit(at)) return 0;
        if (before == '/' || before == '\\') return BONUS_SEGMENT;
        if (!Character.isLetterOrDigit(before)) return BONUS_WORD;
        if (Character.isLowerCase(before) && Character.isUpperCase(at)) return BONUS_CAMEL;
        if (Character.isLetter(before) && Character.isDigit(at)) return BONUS_CAMEL;
        return 0;
    }
}
