package dev.lathe.core.permission;

/**
 * Glob matching of DESIGN §18. Command rules: {@code *} matches any characters, and a pattern ending in {@code " *"}
 * also matches the bare command ({@code ls *} matches {@code ls}). Path rules ({@code read}, {@code edit},
 * {@code external_directory}): {@code **} crosses folders, {@code *} and {@code ?} stay within one, and a pattern
 * without {@code /} matches a file name at any depth ({@code .env} matches {@code a/b/.env}).
 */
final class Pattern {
    private Pattern() {}

    static boolean isPathPermission(String permission) {
        return permission.equals("read") || permission.equals("edit") || permission.equals("external_directory");
    }

    /** More literal characters = more specific. */
    static int specificity(String pattern) {
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) if (pattern.charAt(i) != '*' && pattern.charAt(i) != '?') n++;
        return n;
    }

    static boolean matches(String permission, String pattern, String value) {
        if (pattern.equals("*")) return true;
        if (isPathPermission(permission)) return matchesPath(pattern, value);
        if (glob(pattern, value, false)) return true;
        return pattern.endsWith(" *") && value.equals(pattern.substring(0, pattern.length() - 2));
    }

    private static boolean matchesPath(String pattern, String path) {
        String p = pattern.startsWith("./") ? pattern.substring(2) : pattern;
        if (glob(p, path, true)) return true;
        // "build/**" also covers the folder build itself (cp x build/ writes into it)
        if (p.endsWith("/**") && glob(p.substring(0, p.length() - 3), path, true)) return true;
        if (!p.contains("/")) {
            int slash = path.lastIndexOf('/');
            return slash >= 0 && glob(p, path.substring(slash + 1), true);
        }
        return false;
    }

    /** Iterative glob with backtracking; in path mode {@code *} stops at {@code /} and {@code **} does not. */
    static boolean glob(String pattern, String text, boolean pathMode) {
        return match(pattern, 0, text, 0, pathMode);
    }

    private static boolean match(String p, int pi, String t, int ti, boolean pathMode) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                boolean doubleStar = pathMode && pi + 1 < p.length() && p.charAt(pi + 1) == '*';
                int next = doubleStar ? pi + 2 : pi + 1;
                if (doubleStar && next < p.length() && p.charAt(next) == '/') {
                    // "**/" also matches zero folders
                    if (match(p, next + 1, t, ti, pathMode)) return true;
                }
                for (int k = ti; k <= t.length(); k++) {
                    if (match(p, next, t, k, pathMode)) return true;
                    if (k < t.length() && pathMode && !doubleStar && t.charAt(k) == '/') return false;
                }
                return false;
            }
            if (ti >= t.length()) return false;
            if (c != '?' && c != t.charAt(ti)) return false;
            if (c == '?' && pathMode && t.charAt(ti) == '/') return false;
            pi++;
            ti++;
        }
        return ti == t.length();
    }
}
