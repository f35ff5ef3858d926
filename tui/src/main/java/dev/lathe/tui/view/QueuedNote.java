package dev.lathe.tui.view;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * One line under an open ask saying the messages sent meanwhile wait for the agent (issue 53): their own lines sit
 * above the ask, where a tall ask pushes them off the screen, so without it Enter seemed to do nothing.
 */
public final class QueuedNote {
    private QueuedNote() {}

    /** The line for {@code texts} (oldest first), or empty when nothing is queued. */
    public static Optional<AttributedString> render(List<String> texts, Theme theme, int width) {
        if (texts.isEmpty()) return Optional.empty();
        String latest = texts.getLast().strip().lines().findFirst().orElse("");
        var line = new AttributedStringBuilder().styled(theme.style(Role.ACCENT), "✓ ")
                .styled(theme.style(Role.MUTED), texts.size() == 1 ? "Queued for the agent: "
                        : Footer.count(texts.size(), "message", "messages") + " queued for the agent, the latest: ")
                .append(latest);
        return Optional.of(Wrap.truncate(line.toAttributedString(), width));
    }
}
