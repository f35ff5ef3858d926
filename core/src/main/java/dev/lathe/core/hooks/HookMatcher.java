package dev.lathe.core.hooks;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A matcher group's {@code matcher}, read as Claude Code reads it: {@code "*"}, {@code ""} or none matches everything;
 * a value of only letters, digits, {@code _}, {@code -}, spaces, {@code ,} and {@code |} is an exact name or a list of
 * exact names separated by {@code |} or {@code ,}; anything else is an unanchored regular expression (Java's syntax,
 * which agrees with JavaScript's for what matchers use: {@code Edit|Write}, {@code mcp__.*}, {@code ^Notebook}).
 */
public sealed interface HookMatcher {
    boolean matches(String subject);

    /** What the user wrote, for listings. */
    String written();

    record All(String written) implements HookMatcher {
        @Override public boolean matches(String subject) { return true; }
    }

    record Names(String written, Set<String> names) implements HookMatcher {
        public Names {
            names = Set.copyOf(names);
        }

        @Override public boolean matches(String subject) { return names.contains(subject); }
    }

    record Regex(String written, Pattern pattern) implements HookMatcher {
        @Override public boolean matches(String subject) { return pattern.matcher(subject).find(); }
    }

    Pattern PLAIN = Pattern.compile("[A-Za-z0-9_\\-, |]*");

    /**
     * The matcher {@code written} stands for.
     *
     * @throws IllegalArgumentException when it is neither plain nor a valid regular expression (the message says why)
     */
    public static HookMatcher parse(String written) {
        String w = written.strip();
        if (w.isEmpty() || w.equals("*")) return new All(written);
        if (PLAIN.matcher(w).matches()) {
            List<String> names = Arrays.stream(w.split("[|,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new Names(written, Set.copyOf(names));
        }
        try {
            return new Regex(written, Pattern.compile(w));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription());
        }
    }
}
