package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.List;

/** {@code oldString} exactly as given; the only matcher {@code replaceAll} trusts when it finds something. */
public record ExactMatcher() implements Matcher {
    @Override public String name() { return "exact"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        return occurrences(text, oldString, newString);
    }

    /** Non-overlapping occurrences of {@code needle}, left to right. */
    static List<Match> occurrences(String text, String needle, String replacement) {
        List<Match> out = new ArrayList<>();
        if (needle.isEmpty()) return out;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            out.add(new Match(at, at + needle.length(), replacement));
        }
        return out;
    }
}
