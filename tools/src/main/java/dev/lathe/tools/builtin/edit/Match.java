package dev.lathe.tools.builtin.edit;

/** One place to change: {@code [start, end)} of the LF-normalised file text, and the text that goes there. */
public record Match(int start, int end, String replacement) {
    public Match {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
}
