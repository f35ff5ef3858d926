package dev.lathe.tui.view;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The start of the editor's first line: {@code › } for the default agent; for any other agent its name in colour
 * before it ({@code plan ›} in the warning colour, as plan mode changes nothing on disk and a user must see that at
 * the place they type), so the mode is seen where one types, not only in the footer; {@code shell ›} while the input
 * is a {@code !} command.
 */
public final class PromptMarker {
    /** The agent that needs no marker. */
    public static final String DEFAULT_AGENT = "build";

    private PromptMarker() {}

    public static AttributedString of(String agent, Theme theme) {
        if (agent.equals(DEFAULT_AGENT)) return theme.paint(Role.PROMPT, "› ");
        Role role = agent.equals("plan") ? Role.WARNING : Role.ACCENT;
        return new AttributedStringBuilder().styled(theme.style(role).bold(), agent).append(" ").styled(theme.style(role), "› ").toAttributedString();
    }

    /**
     * The marker while the input starts with {@code !} (the user's own shell command, not a message to the agent):
     * {@code shell ›} in its own colour, so one sees before Enter that the line goes to the shell.
     */
    public static AttributedString shell(Theme theme) {
        return new AttributedStringBuilder().styled(theme.style(Role.SUCCESS).bold(), "shell").append(" ").styled(theme.style(Role.SUCCESS), "› ").toAttributedString();
    }

    /** The indent of the editor's next lines: as wide as the marker. */
    public static AttributedString indent(AttributedString marker) { return new AttributedString(" ".repeat(marker.columnLength())); }
}
