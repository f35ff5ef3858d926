package dev.lathe.tui.view;

import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * {@code /memory} (DESIGN §27): the instruction files every request of this folder carries, in the order they are sent,
 * each with why ({@code GET /memory}); the rules that join after a read or an edit of a file they match; and what was
 * named but not read, in the warning colour. Names come from the project's files, so each passes {@link VisibleControls}.
 */
public final class MemoryView {
    private MemoryView() {}

    public static List<AttributedString> render(MemoryListing memory, Theme theme) {
        var lines = new ArrayList<AttributedString>();
        if (memory.files().isEmpty() && memory.scoped().isEmpty() && memory.problems().isEmpty()) {
            lines.add(new AttributedString("No instruction files in this folder (AGENTS.md, CLAUDE.md and the like; docs/config.md, \"Instructions\")"));
            return lines;
        }
        lines.add(theme.paint(Role.HEADING, "Memory: sent with every request, in this order"));
        entries(memory.files(), theme, lines);
        if (!memory.scoped().isEmpty()) {
            lines.add(theme.paint(Role.HEADING, "Joining after a read or an edit of a matching file"));
            entries(memory.scoped(), theme, lines);
        }
        if (!memory.problems().isEmpty()) {
            lines.add(theme.paint(Role.HEADING, "Not read"));
            for (String p : memory.problems()) lines.add(theme.paint(Role.WARNING, "  " + clean(p)));
        }
        return lines;
    }

    private static void entries(List<MemoryListing.Entry> entries, Theme theme, List<AttributedString> lines) {
        int width = entries.stream().mapToInt(e -> clean(e.file()).length()).max().orElse(0);
        for (MemoryListing.Entry e : entries) {
            String file = clean(e.file());
            lines.add(AttributedString.join(AttributedString.EMPTY, new AttributedString("  " + file + " ".repeat(width - file.length()) + "  "),
                    theme.paint(Role.MUTED, clean(e.why()))));
        }
    }

    /** One line, every control shown as its picture (the one sanitiser): a file name or an import can hold any of them. */
    private static String clean(String s) {
        return VisibleControls.line(s);
    }
}
