package dev.lathe.tools.builtin.edit;

import java.util.List;

/**
 * The last resort: first and last lines match (trimmed), the block has the same number of lines, and at least half
 * of the lines between match too. Catches a block where some middle lines were rewritten from memory beyond what
 * {@link BlockAnchorMatcher}'s similarity accepts, while the surrounding lines pin down the place.
 */
public record ContextAwareMatcher() implements Matcher {
    @Override public String name() { return "context-aware"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        if (Lines.split(oldString).size() < 3) return List.of();
        return LineWindows.find(text, oldString, newString, ContextAwareMatcher::anchoredAndHalfSame, Indentation::repairLineByLine);
    }

    static boolean anchoredAndHalfSame(List<String> window, List<String> wanted) {
        int n = wanted.size();
        if (wanted.getFirst().isBlank() || wanted.getLast().isBlank()) return false;
        if (!window.getFirst().strip().equals(wanted.getFirst().strip()) || !window.getLast().strip().equals(wanted.getLast().strip())) return false;
        int same = 0;
        for (int i = 1; i < n - 1; i++) if (window.get(i).strip().equals(wanted.get(i).strip())) same++;
        return same * 2 >= n - 2;
    }
}
