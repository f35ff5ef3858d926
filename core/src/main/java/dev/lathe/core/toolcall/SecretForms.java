package dev.lathe.core.toolcall;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shapes a secret takes in what a tool prints (issue 79): as it is, reversed, percent-encoded, hex, and base64
 * (standard and url-safe) at each of the three alignments it can have inside a longer encoded stream. Every form is kept
 * lower-cased and without spaces: {@link SecretMask} compares case-folded text with line breaks, spaces and tabs removed,
 * so upper-case hex, a lower-cased key and a form folded across lines ({@code base64 -w}, {@code fold}) or split by
 * spaces are all one comparison.
 *
 * <p>A base64 form holds only the characters that depend on the secret's bytes alone: the first one or two characters
 * of an unaligned run also carry the bytes before it, the last ones the bytes after it, so they are left out.
 */
record SecretForms(List<String> forms) {

    static SecretForms of(Collection<String> secrets) {
        Set<String> out = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.length() < SecretMask.MIN_LENGTH) continue;
            String lower = compact(fold(secret));
            out.add(lower);
            out.add(new StringBuilder(lower).reverse().toString());
            // percent-encoded, by an encoder that escapes every symbol or only those a URL cannot carry (decision 642)
            out.add(compact(fold(percent(secret, SYMBOLS))));
            out.add(compact(fold(percent(secret, URL_RESERVED))));
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            out.add(HexFormat.of().formatHex(bytes));
            for (int offset = 0; offset < 3; offset++) {
                String standard = aligned(bytes, offset);
                out.add(fold(standard));
                out.add(fold(standard.replace('+', '-').replace('/', '_')));
            }
        }
        // longest first: a secret that contains another is masked whole; forms too short to be safe are dropped
        return new SecretForms(out.stream().filter(f -> f.length() >= SecretMask.MIN_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    boolean isEmpty() { return forms.isEmpty(); }

    /** The longest form: what a held-back tail can be at most. */
    int longest() { return forms.isEmpty() ? 0 : forms.getFirst().length(); }

    /**
     * The base64 characters of {@code bytes} when {@code offset} bytes precede them in the encoded stream, without the
     * characters the neighbouring bytes share.
     */
    private static String aligned(byte[] bytes, int offset) {
        byte[] padded = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(padded);
        int skip = (offset * 8 + 5) / 6;          // characters that hold bits of the preceding bytes
        int whole = (padded.length * 8) / 6;      // characters made only of bits of these bytes
        return skip >= whole ? "" : encoded.substring(skip, whole);
    }

    /** What a percent-encoder escapes: every character but letters and digits, or only those a URL cannot carry as they are. */
    @FunctionalInterface
    private interface Escaped {
        boolean test(char c);
    }

    private static final Escaped SYMBOLS = c -> !(c < 128 && Character.isLetterOrDigit(c));
    private static final Escaped URL_RESERVED = c -> !(c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0));

    /** {@code secret} with each character {@code escaped} accepts as {@code %XX} of its UTF-8 bytes. */
    private static String percent(String secret, Escaped escaped) {
        var out = new StringBuilder();
        for (char c : secret.toCharArray()) {
            if (!escaped.test(c)) {
                out.append(c);
                continue;
            }
            for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) out.append('%').append(HexFormat.of().toHexDigits(b));
        }
        return out.toString();
    }

    /** {@code s} without what {@link FoldedText} leaves out of the text it compares (line breaks, spaces, tabs). */
    private static String compact(String s) {
        var out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) if (!FoldedText.gap(c)) out.append(c);
        return out.toString();
    }

    /** Lower-cased one char at a time: the length never changes, so positions map back to the original text. */
    static String fold(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) out[i] = Character.toLowerCase(s.charAt(i));
        return new String(out);
    }
}
