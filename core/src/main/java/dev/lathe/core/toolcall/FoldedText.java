package dev.lathe.core.toolcall;

/**
 * A text as {@link SecretMask} compares it: lower-cased, without line breaks, spaces and tabs (a key folded across lines
 * or wrapped by {@code base64}, printed in pieces or a character at a time with spaces between, is one run again;
 * decision 642), with where each of its characters stands in the original.
 */
final class FoldedText {
    private final String folded;
    /** {@code origin[i]}: the index in the original text of the folded text's character {@code i}; null when none was removed. */
    private final int[] origin;
    private final int originalLength;

    private FoldedText(String folded, int[] origin, int originalLength) {
        this.folded = folded;
        this.origin = origin;
        this.originalLength = originalLength;
    }

    /** Whether {@code c} is left out of the folded text (and of every form of a secret). */
    static boolean gap(char c) {
        return c == '\n' || c == '\r' || c == ' ' || c == '\t';
    }

    static FoldedText of(String text) {
        int n = text.length();
        char[] out = new char[n];
        int[] origin = null;
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (gap(c)) {
                if (origin == null) {
                    origin = new int[n];
                    for (int j = 0; j < k; j++) origin[j] = j;
                }
                continue;
            }
            if (origin != null) origin[k] = i;
            out[k++] = Character.toLowerCase(c);
        }
        return new FoldedText(new String(out, 0, k), origin, n);
    }

    String text() { return folded; }

    int length() { return folded.length(); }

    /** Where the folded character {@code i} starts in the original; the original's end for {@code i == length()}. */
    int start(int i) {
        if (i >= folded.length()) return originalLength;
        return origin == null ? i : origin[i];
    }

    /** Where the folded range ending before {@code i} ends in the original. */
    int end(int i) {
        if (i == 0) return 0;
        return start(i - 1) + 1;
    }
}
