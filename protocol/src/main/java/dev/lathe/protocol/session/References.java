package dev.lathe.protocol.session;

/**
 * The character references {@link Wrapper} writes and reads back: {@code &amp;}, {@code &lt;}, {@code &gt;},
 * {@code &quot;} and {@code &#xHEX;}. Reading and escaping share {@link #at}, so an {@code &} is escaped exactly where
 * reading would otherwise take it for a reference, and a round trip gives back the text it started from.
 */
final class References {
    private References() {}

    private static final String[] NAMED = {"&amp;", "&lt;", "&gt;", "&quot;"};
    private static final int[] NAMED_CHARS = {'&', '<', '>', '"'};

    /** Whether a reference {@link #decode} reads starts at {@code i}. */
    static boolean startsAt(String text, int i) {
        return at(text, i) != 0;
    }

    /** Appends {@code cp} as {@code &#xHEX;}. */
    static void numeric(StringBuilder out, int cp) {
        out.append("&#x").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append(';');
    }

    /** {@code text} with every reference replaced by its character, in one pass from the left. */
    static String decode(String text) {
        if (text.indexOf('&') < 0) return text;
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            long found = at(text, i);
            if (found == 0) {
                out.append(text.charAt(i));
                i++;
            } else {
                out.appendCodePoint((int) (found >>> 8));
                i += (int) (found & 0xFF);
            }
        }
        return out.toString();
    }

    /** An ASCII hex digit's value, else -1 (not {@link Character#digit}, which takes fullwidth digits too). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** The reference at {@code i}: its character in the high bits and its length in the low byte; 0 when none starts there. */
    private static long at(String text, int i) {
        if (text.charAt(i) != '&') return 0;
        for (int n = 0; n < NAMED.length; n++) {
            if (text.startsWith(NAMED[n], i)) return ((long) NAMED_CHARS[n] << 8) | NAMED[n].length();
        }
        if (!text.startsWith("&#x", i)) return 0;
        int j = i + 3;
        int cp = 0;
        while (j < text.length() && j - i - 3 < 6 && hex(text.charAt(j)) >= 0) cp = cp * 16 + hex(text.charAt(j++));
        boolean closed = j > i + 3 && j < text.length() && text.charAt(j) == ';';
        if (!closed || !Character.isValidCodePoint(cp) || cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) return 0;
        return ((long) cp << 8) | (j + 1 - i);
    }
}
