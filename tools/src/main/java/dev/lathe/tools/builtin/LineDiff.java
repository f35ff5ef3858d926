package dev.lathe.tools.builtin;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts (line LCS; very large inputs get a summary instead), for permission asks and clients. */
public final class LineDiff {
    private static final long MAX_CELLS = 4_000_000;

    private LineDiff() {}

    public static String unified(String path, String before, String after) {
        List<String> a = before.isEmpty() ? List.of() : before.lines().toList();
        List<String> b = after.isEmpty() ? List.of() : after.lines().toList();
        var out = new StringBuilder("--- a/").append(path).append("\n+++ b/").append(path).append('\n');
        if ((long) a.size() * b.size() > MAX_CELLS) {
            return out.append("@@ file too large to diff: ").append(a.size()).append(" → ").append(b.size()).append(" lines @@\n").toString();
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(" " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // removals before additions on a tie, as every diff tool prints a changed line
                ops.add("-" + a.get(i++));
            } else {
                ops.add("+" + b.get(j++));
            }
        }
        appendHunks(ops, out);
        return out.toString();
    }

    /** Groups changed lines with up to 3 lines of context into hunks. */
    private static void appendHunks(List<String> ops, StringBuilder out) {
        int context = 3;
        int n = ops.size();
        int k = 0;
        while (k < n) {
            while (k < n && ops.get(k).startsWith(" ")) k++;
            if (k >= n) break;
            int start = Math.max(0, k - context);
            int end = k;
            int quiet = 0;
            while (end < n && quiet <= 2 * context) {
                quiet = ops.get(end).startsWith(" ") ? quiet + 1 : 0;
                end++;
            }
            end = Math.min(n, end - Math.max(0, quiet - context));
            int oldStart = 1 + count(ops, 0, start, '+');
            int newStart = 1 + count(ops, 0, start, '-');
            out.append("@@ -").append(oldStart).append(',').append(count(ops, start, end, '+'))
                    .append(" +").append(newStart).append(',').append(count(ops, start, end, '-')).append(" @@\n");
            for (int x = start; x < end; x++) out.append(ops.get(x)).append('\n');
            k = end;
        }
    }

    /** Lines in ops[from, to) other than those marked {@code excluded}: old-side lines exclude '+', new-side exclude '-'. */
    private static int count(List<String> ops, int from, int to, char excluded) {
        int c = 0;
        for (int x = from; x < to; x++) if (ops.get(x).charAt(0) != excluded) c++;
        return c;
    }
}
