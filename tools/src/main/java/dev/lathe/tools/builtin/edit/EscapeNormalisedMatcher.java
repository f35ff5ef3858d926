package dev.lathe.tools.builtin.edit;

import java.util.List;

/**
 * {@code oldString} with escape sequences turned into the characters they stand for: models sometimes escape twice,
 * sending a backslash and {@code n} where the file has a line break. {@code newString} is left alone: it is what
 * the model wants written, and guessing at it could corrupt string literals that really contain {@code \n}.
 */
public record EscapeNormalisedMatcher() implements Matcher {
    @Override public String name() { return "escape-normalised"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        String unescaped = unescape(oldString);
        if (unescaped.equals(oldString)) return List.of();
        return ExactMatcher.occurrences(text, unescaped, newString);
    }

    static String unescape(String s) {
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(i + 1);
            String decoded = switch (next) {
                case 'n' -> "\n";
                case 't' -> "\t";
                case 'r' -> "\r";
                case '"', '\'', '`', '\\', '$' -> String.valueOf(next);
                default -> null;
            };
            if (decoded == null) {
                out.append(c);
            } else {
                out.append(decoded);
                i++;
            }
        }
        return out.toString();
    }
}
