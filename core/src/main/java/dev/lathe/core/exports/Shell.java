package dev.lathe.core.exports;

import java.util.regex.Pattern;

/** A word as a POSIX shell reads it back: as it is when plain, else in single quotes. */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@%+=:,-]+");

    private Shell() {}

    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
