package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.List;

/** Slides a window of {@code oldString}'s line count over the file; shared by the line-based matchers. */
final class LineWindows {
    private LineWindows() {}

    @FunctionalInterface
    interface Test {
        boolean matches(List<String> window, List<String> wanted);
    }

    @FunctionalInterface
    interface Adapt {
        String replacement(List<String> window, List<String> wanted, String newString);
    }

    /** Non-overlapping windows that pass {@code test}, each replaced by {@code adapt}'s version of {@code newString}. */
    static List<Match> find(String text, String oldString, String newString, Test test, Adapt adapt) {
        List<Match> out = new ArrayList<>();
        List<String> wanted = Lines.split(oldString);
        if (Lines.allBlank(wanted)) return out;
        Lines lines = Lines.of(text);
        for (int i = 0; i + wanted.size() <= lines.size(); i++) {
            List<String> window = lines.window(i, wanted.size());
            if (!test.matches(window, wanted)) continue;
            out.add(lines.block(i, wanted.size(), oldString, adapt.replacement(window, wanted, newString)));
            i += wanted.size() - 1;
        }
        return out;
    }
}
