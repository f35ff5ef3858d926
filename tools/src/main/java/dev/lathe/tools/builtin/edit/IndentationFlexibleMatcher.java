package dev.lathe.tools.builtin.edit;

import java.util.List;

/**
 * Equal once each side's common indentation is removed: the block was copied at the wrong depth but its inner shape
 * is right. Unlike trimmed-lines it respects relative indentation, so it can single out one of several blocks that
 * differ only in nesting. The replacement is moved to the found block's depth as a whole.
 */
public record IndentationFlexibleMatcher() implements Matcher {
    @Override public String name() { return "indentation-flexible"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        return LineWindows.find(text, oldString, newString,
                (window, wanted) -> Indentation.dedent(window).equals(Indentation.dedent(wanted)), Indentation::reindent);
    }
}
