package dev.lathe.tui.text;

/** What a piece of text is, independent of how the theme paints it; the keys of the {@code theme} config. */
public enum Role {
    TEXT, MUTED, ACCENT, USER, HEADING, EMPHASIS, STRONG, LINK, INLINE_CODE, CODE,
    KEYWORD, STRING, COMMENT, NUMBER, TYPE,
    DIFF_ADDED, DIFF_REMOVED, DIFF_HUNK, DIFF_CONTEXT,
    TOOL_PENDING, TOOL_RUNNING, TOOL_DONE, TOOL_FAILED,
    REASONING, ERROR, WARNING, SUCCESS, BORDER, SELECTED, FOOTER, PROMPT;

    /** The config spelling: {@code diffAdded} for {@link #DIFF_ADDED}. */
    public String key() {
        String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
        var key = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return key.toString();
    }
}
