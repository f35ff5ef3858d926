package dev.lathe.llm.bpe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the tokens a byte-pair encoding makes of a text, without building them: the text is split into pieces by the
 * encoding's pattern, and each piece's bytes are merged pair by pair, lowest rank first (leftmost on a tie), as
 * OpenAI's tiktoken does. Thread-safe: a count keeps its state on its own stack.
 */
public final class BytePairCounter {
    /**
     * The pre-tokenizer of {@code o200k_base} (OpenAI's published pattern), matched with Unicode character classes: the
     * flag that makes {@code \s} and {@code \p{...}} agree with the reference tokenizer on non-ASCII text.
     */
    private static final String O200K_PATTERN = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");
    /**
     * Where the o200k vocabulary is read from: the file the jtokkit library ships (OpenAI's {@code o200k_base.tiktoken}),
     * so the data comes with a pinned, checksummed dependency instead of a copy of our own.
     */
    private static final String O200K_VOCABULARY = "/com/knuddels/jtokkit/o200k_base.tiktoken";

    private final Pattern pieces;
    private final Ranks ranks;

    BytePairCounter(Pattern pieces, Ranks ranks) {
        this.pieces = pieces;
        this.ranks = ranks;
    }

    /** OpenAI's {@code o200k_base}, read now (~0.1 s): callers hold the one instance. */
    public static BytePairCounter o200k() {
        try (InputStream in = BytePairCounter.class.getResourceAsStream(O200K_VOCABULARY)) {
            if (in == null) throw new IllegalStateException("the o200k vocabulary is missing from the class path: " + O200K_VOCABULARY);
            return new BytePairCounter(Pattern.compile(O200K_PATTERN, Pattern.UNICODE_CHARACTER_CLASS), Ranks.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the o200k vocabulary", e);
        }
    }

    /** How many tokens {@code text} encodes to, special tokens' text counted as ordinary text. */
    public int count(String text) {
        Matcher m = pieces.matcher(text);
        int total = 0;
        while (m.find()) total += piece(text.substring(m.start(), m.end()).getBytes(StandardCharsets.UTF_8));
        return total;
    }

    /**
     * Pieces longer than this merge through a heap: the scan for the lowest pair is quadratic in the piece's length, and
     * a run of one letter or sign with no break (a runaway answer's "=====…", a long word in a script without spaces) is
     * one piece of any length.
     */
    static final int LONG_PIECE = 256;

    /** The tokens of one piece: one when the whole piece is a token (most words), else what its merges leave. */
    int piece(byte[] piece) {
        int n = piece.length;
        if (n <= 1 || ranks.rank(piece, 0, n) >= 0) return n == 0 ? 0 : 1;
        return n > LONG_PIECE ? longPiece(piece) : shortPiece(piece);
    }

    /** Merges by scanning every pair for the lowest rank: fastest for the short pieces nearly all text is made of. */
    int shortPiece(byte[] piece) {
        int n = piece.length;
        // parts are piece[starts[i], starts[i + 1]); pairRank[i] is the rank of part i joined with part i + 1
        int[] starts = new int[n + 1];
        int[] pairRank = new int[n];
        for (int i = 0; i <= n; i++) starts[i] = i;
        int parts = n;
        for (int i = 0; i < parts - 1; i++) pairRank[i] = rankOr(piece, starts[i], starts[i + 2]);
        while (parts > 1) {
            int best = -1;
            for (int i = 0; i < parts - 1; i++) {
                if (pairRank[i] != Integer.MAX_VALUE && (best < 0 || pairRank[i] < pairRank[best])) best = i;
            }
            if (best < 0) break;
            // part best + 1 joins part best
            System.arraycopy(starts, best + 2, starts, best + 1, parts - best - 1);
            System.arraycopy(pairRank, best + 2, pairRank, best + 1, Math.max(0, parts - best - 3));
            parts--;
            if (best < parts - 1) pairRank[best] = rankOr(piece, starts[best], starts[best + 2]);
            else pairRank[best] = Integer.MAX_VALUE;
            if (best > 0) pairRank[best - 1] = rankOr(piece, starts[best - 1], starts[best + 1]);
        }
        return parts;
    }

    /**
     * The same merges as {@link #shortPiece} in O(n log n): parts in a linked list named by the byte each starts at, the
     * pairs' ranks in a heap ordered by rank, then position (the leftmost of equal ranks first, as the scan does);
     * an entry whose pair has changed since it was pushed is skipped when it comes out.
     */
    int longPiece(byte[] piece) {
        int n = piece.length;
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] pairRank = new int[n];
        boolean[] merged = new boolean[n];
        var heap = new java.util.PriorityQueue<Long>(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < n; i++) push(heap, pairRank, i, rankOr(piece, i, end(next, i + 1, n)));
        pairRank[n - 1] = Integer.MAX_VALUE;
        int parts = n;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int rank = (int) (entry >>> 32);
            int i = (int) entry;
            if (merged[i] || pairRank[i] != rank || next[i] < 0) continue;
            int j = next[i];
            merged[j] = true;
            next[i] = next[j];
            if (next[j] >= 0) prev[next[j]] = i;
            parts--;
            push(heap, pairRank, i, next[i] < 0 ? Integer.MAX_VALUE : rankOr(piece, i, end(next, next[i], n)));
            int p = prev[i];
            if (p >= 0) push(heap, pairRank, p, rankOr(piece, p, end(next, i, n)));
        }
        return parts;
    }

    /** Where part {@code i} ends: where the next one starts, or at the piece's end. */
    private static int end(int[] next, int i, int n) {
        return next[i] < 0 ? n : next[i];
    }

    private static void push(java.util.PriorityQueue<Long> heap, int[] pairRank, int i, int rank) {
        pairRank[i] = rank;
        if (rank != Integer.MAX_VALUE) heap.add((long) rank << 32 | i);
    }

    private int rankOr(byte[] piece, int from, int to) {
        int rank = ranks.rank(piece, from, to);
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }
}
