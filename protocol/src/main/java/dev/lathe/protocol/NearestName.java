package dev.lathe.protocol;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean": the known name a mistyped one most likely meant ({@code --verison} → {@code --version},
 * {@code sesions} → {@code sessions}, {@code alow} → {@code allow}). One home for the judgement, so the command line,
 * the config checker and the key bindings agree on what counts as a typo (issue 53).
 */
public final class NearestName {
    private NearestName() {}

    /**
     * The name of {@code known} closest to {@code typed}, when one is close enough to be a typo of it (one edit for short
     * names, two for longer ones, case ignored) and {@code typed} is none of them itself.
     */
    public static Optional<String> of(String typed, Collection<String> known) {
        String word = typed.toLowerCase(Locale.ROOT);
        if (word.isEmpty() || known.contains(typed)) return Optional.empty();
        return known.stream().filter(k -> distance(word, k.toLowerCase(Locale.ROOT)) <= allowed(word, k))
                .min(Comparator.comparingInt((String k) -> distance(word, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k));
    }

    private static int allowed(String word, String name) {
        int shorter = Math.min(word.length(), name.length());
        return shorter <= 2 ? 0 : shorter <= 4 ? 1 : 2;
    }

    /** Edits (insert, delete, replace, or swapping two neighbours) from {@code a} to {@code b}. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int replace = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), replace);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
