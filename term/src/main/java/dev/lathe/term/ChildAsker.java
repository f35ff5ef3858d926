package dev.lathe.term;

import dev.lathe.protocol.event.AskingChild;

/**
 * How the text clients name a child that asks ({@link AskingChild}, DESIGN §18 "Background subagents"): {@code child
 * "TITLE"}, the title being the task's description and agent. The title is the model's words: its controls are shown
 * as visible marks ({@link VisibleControls}, DESIGN §24), and a title longer than {@link #MAX_TITLE} is cut, so an ask
 * line stays a line.
 */
public final class ChildAsker {
    /** The longest title shown, in characters. */
    static final int MAX_TITLE = 80;

    private ChildAsker() {}

    /** {@code child "TITLE"}, safe for a terminal. */
    public static String named(AskingChild child) {
        String title = child.title().isBlank() ? child.agent() : child.title();
        String cut = title.length() <= MAX_TITLE ? title
                : title.substring(0, Character.isHighSurrogate(title.charAt(MAX_TITLE - 1)) ? MAX_TITLE - 1 : MAX_TITLE) + "…";
        return "child \"" + VisibleControls.line(cut) + "\"";
    }
}
