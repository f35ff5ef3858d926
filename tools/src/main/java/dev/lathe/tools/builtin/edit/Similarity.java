package dev.lathe.tools.builtin.edit;

/** How alike two lines are: 1 - Levenshtein distance / longer length, so 1.0 is equal and 0.0 shares nothing. */
public final class Similarity {
    private Similarity() {}

    static double ratio(String a, String b) {
        int longer = Math.max(a.length(), b.length());
        if (longer == 0) return 1.0;
        return 1.0 - (double) distance(a, b) / longer;
    }

    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
