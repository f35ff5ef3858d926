package dev.lathe.tools.builtin.edit;

import java.util.List;

/**
 * A text split at {@code \n}, with each line's offset, so line-based matchers can turn "lines i..j" into a character
 * range of the original text.
 */
record Lines(List<String> all, int[] starts) {
    static Lines of(String text) {
        List<String> all = List.of(text.split("\n", -1));
        int[] starts = new int[all.size()];
        for (int i = 1; i < starts.length; i++) starts[i] = starts[i - 1] + all.get(i - 1).length() + 1;
        return new Lines(all, starts);
    }

    /** The lines of {@code oldString} or {@code newString}: one trailing newline ends the last line, it does not add one. */
    static List<String> split(String s) {
        String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return List.of(body.split("\n", -1));
    }

    int size() { return all.size(); }

    String get(int i) { return all.get(i); }

    List<String> window(int first, int count) { return all.subList(first, first + count); }

    /**
     * Lines {@code [first, first + count)} as a match. When {@code oldString} ended with a newline the block's own
     * newline is part of the range, so {@code newString}'s trailing newline (or its absence) is respected; at the end
     * of a file without a final newline there is none to take, so one is dropped from the replacement instead.
     */
    Match block(int first, int count, String oldString, String replacement) {
        int last = first + count - 1;
        int start = starts[first];
        int end = starts[last] + all.get(last).length();
        boolean wantsNewline = oldString.endsWith("\n");
        if (wantsNewline && last + 1 < all.size()) return new Match(start, end + 1, replacement);
        String body = wantsNewline && replacement.endsWith("\n") ? replacement.substring(0, replacement.length() - 1) : replacement;
        return new Match(start, end, body);
    }

    static boolean allBlank(List<String> lines) { return lines.stream().allMatch(String::isBlank); }
}
