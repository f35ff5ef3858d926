package dev.lathe.tools.builtin.edit;

import java.util.List;

/** {@code oldString} without its leading and trailing whitespace (stray blank lines or spaces around the snippet). */
public record TrimmedBoundaryMatcher() implements Matcher {
    @Override public String name() { return "trimmed-boundary"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        String trimmed = oldString.strip();
        if (trimmed.isEmpty() || trimmed.equals(oldString)) return List.of();
        return ExactMatcher.occurrences(text, trimmed, Boundary.trimLike(oldString, newString));
    }
}
