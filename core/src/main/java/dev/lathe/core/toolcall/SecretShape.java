package dev.lathe.core.toolcall;

/**
 * Whether a value found under a credential-like name ({@code *KEY*}, {@code *TOKEN*}, {@code *SECRET*} ...) looks like a
 * credential, so that it is worth masking everywhere (decision 554). A name alone says little:
 * {@code SECRETS_SCAN_MODE=disabled} or {@code AWS_REGION_KEY=us-east-1} masked "disabled" and "us-east-1" in every tool
 * result (issue 79). A credential is long and random: at least {@value #MIN_LENGTH} characters with no white space,
 * of which at least {@value #MIN_RANDOM} stand in random-looking runs. A run is a stretch of letters and digits
 * (any other character ends it: {@code - _ / . :}); it looks random when it mixes letters with digits or upper with
 * lower case and changes between those classes often, as a random string does and a word, a path or a version does not
 * (a hex run of {@value #MIN_LENGTH} or more with digits and letters counts: hex changes class less often).
 *
 * <p>{@code sk-ant-api03-…}, {@code sk-proj-…}, {@code ghp_…}, {@code github_pat_…}, 40-character hex and AWS secret keys
 * all pass; {@code disabled}, {@code true}, {@code 1}, {@code us-east-1}, {@code /home/me/.config/gcloud/key.json} and
 * {@code https://api.example.com/v1} do not. Values a user names as keys outright (a provider's {@code apiKey}) are
 * secrets whatever their shape; only values picked up by their variable's name go through this.
 */
public final class SecretShape {
    /** Shorter values are not masked: a 16-character random value is a weak key already, and masking stays cheap. */
    public static final int MIN_LENGTH = 16;
    /** How many characters of random-looking runs make a value a credential. */
    static final int MIN_RANDOM = 12;
    /** A run is random when at least this share of its neighbouring characters change class (upper, lower, digit). */
    private static final double MIN_CHANGES = 0.15;
    private static final int MIN_RUN = 4;

    private SecretShape() {}

    public static boolean looksLikeSecret(String value) {
        if (value == null || value.length() < MIN_LENGTH) return false;
        int random = 0;
        int runStart = -1;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ' ';
            if (i < value.length() && Character.isWhitespace(c)) return false;
            boolean inRun = i < value.length() && isAsciiAlnum(c);
            if (inRun && runStart < 0) runStart = i;
            if (!inRun && runStart >= 0) {
                if (looksRandom(value, runStart, i)) random += i - runStart;
                runStart = -1;
            }
        }
        return random >= MIN_RANDOM;
    }

    private static boolean looksRandom(String s, int from, int to) {
        int length = to - from;
        if (length < MIN_RUN) return false;
        boolean upper = false, lower = false;
        int digits = 0, hexLetters = 0, changes = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int kind = kind(c);
            upper |= kind == 0;
            lower |= kind == 1;
            if (kind == 2) digits++;
            if (Character.digit(c, 16) >= 10) hexLetters++;
            if (i > from && kind != kind(s.charAt(i - 1))) changes++;
        }
        boolean mixed = digits > 0 && (upper || lower) || upper && lower;
        // hex changes class less often than base62 (10 of its 16 characters are digits): its own test
        boolean hex = digits + hexLetters == length && !(upper && lower);
        if (hex && length >= MIN_LENGTH && digits >= 2 && hexLetters >= 1) return true;
        return mixed && changes >= MIN_CHANGES * (length - 1);
    }

    private static int kind(char c) {
        if (c >= 'A' && c <= 'Z') return 0;
        if (c >= 'a' && c <= 'z') return 1;
        return 2;
    }

    private static boolean isAsciiAlnum(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }
}
