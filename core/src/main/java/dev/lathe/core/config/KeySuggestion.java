package dev.lathe.core.config;

/**
 * The "did you mean" of an unknown top-level config key: the common key it is most likely a misspelling of (same
 * letters but for case, or at most two letters longer or shorter and the same first three).
 */
final class KeySuggestion {
    private static final String[] COMMON = {"model", "smallModel", "provider", "permission", "instructions", "fallback", "retry", "limits"};

    private KeySuggestion() {}

    /** {@code " (did you mean 'KEY'?)"}, or nothing when no common key is close. */
    static String of(String key) {
        for (String known : COMMON) {
            if (known.equalsIgnoreCase(key) || Math.abs(known.length() - key.length()) <= 2 && sharedPrefix(known, key) >= 3) {
                return " (did you mean '" + known + "'?)";
            }
        }
        return "";
    }

    private static int sharedPrefix(String a, String b) {
        int i = 0;
        while (i < Math.min(a.length(), b.length()) && Character.toLowerCase(a.charAt(i)) == Character.toLowerCase(b.charAt(i))) i++;
        return i;
    }
}
