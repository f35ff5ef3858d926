package dev.lathe.tools.builtin.edit;

import java.util.List;

/** Whole lines equal after trimming each: forgives indentation and trailing spaces the model got wrong. */
public record TrimmedLinesMatcher() implements Matcher {
    @Override public String name() { return "trimmed-lines"; }

    @Override
    public List<Match> find(String text, String oldString, String newString) {
        return LineWindows.find(text, oldString, newString, TrimmedLinesMatcher::sameTrimmed, Indentation::repairLineByLine);
    }

    static boolean sameTrimmed(List<String> window, List<String> wanted) {
        for (int i = 0; i < wanted.size(); i++) if (!window.get(i).strip().equals(wanted.get(i).strip())) return false;
        return true;
    }
}
