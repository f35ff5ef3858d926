package dev.lathe.tui.view;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Two-column help ({@code /help}): a name or key list on the left, what it does on the right. The left column is as
 * wide as its longest entry up to {@value #MAX_NAME} columns; a longer entry gets a line of its own with its text on
 * the next, so no entry runs into its text. The text wraps under itself.
 */
public final class HelpView {
    static final int MAX_NAME = 24;
    private static final String INDENT = "  ";
    private static final int GAP = 2;

    private HelpView() {}

    /** One row: {@code name} and what it does. */
    public record Row(String name, String text) {}

    /** The rows under {@code heading}, at {@code width}. */
    public static List<AttributedString> render(String heading, List<Row> rows, Theme theme, int width) {
        var out = new ArrayList<AttributedString>();
        out.add(theme.paint(Role.HEADING, heading));
        int column = Math.min(MAX_NAME, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        // on a very narrow terminal the text goes under the name rather than into a sliver beside it
        boolean beside = width - INDENT.length() - column - GAP >= 20;
        String hanging = " ".repeat(INDENT.length() + (beside ? column + GAP : 2));
        for (Row r : rows) {
            var name = new AttributedStringBuilder().append(INDENT).styled(theme.style(Role.ACCENT), r.name());
            AttributedString text = theme.paint(Role.MUTED, r.text());
            if (beside && r.name().length() <= column) {
                name.append(" ".repeat(column - r.name().length() + GAP));
                out.addAll(Wrap.lines(text, width, name.toAttributedString(), new AttributedString(hanging)));
            } else {
                out.add(Wrap.truncate(name.toAttributedString(), width));
                out.addAll(Wrap.lines(text, width, new AttributedString(hanging), new AttributedString(hanging)));
            }
        }
        return out;
    }
}
