package dev.lathe.tui.view;

import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.render.DiffView;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The session's diff in the live region ({@code /diff}, DESIGN §32): a heading with the scope, the number of files and
 * the lines added and removed, a row per file (status, path, counts), and the patches under them in the diff colours,
 * {@link #ROWS} rows at most in all (the whole diff is {@code lathe diff ID}). Paths are the model's or the
 * repository's names: a control character in one (a newline, an escape) is shown as its picture, never sent.
 */
public final class DiffPanelView {
    /** The most rows of patches shown under the file rows. */
    static final int ROWS = 24;
    /** The most file rows shown. */
    static final int FILES = 12;

    private DiffPanelView() {}

    public static List<AttributedString> render(DiffScope scope, DiffPage page, Theme theme, int width) {
        var out = new ArrayList<AttributedString>();
        int added = page.files().stream().mapToInt(FileDiff::additions).sum();
        int removed = page.files().stream().mapToInt(FileDiff::deletions).sum();
        int count = page.files().size();
        out.add(AttributedString.EMPTY);
        out.add(line(new AttributedStringBuilder().styled(theme.style(Role.ACCENT), "± Diff · " + scope.wire())
                .styled(theme.style(Role.MUTED), " · " + count + (page.more() ? "+" : "") + (count == 1 ? " file" : " files") + " · ")
                .styled(theme.style(Role.DIFF_ADDED), "+" + added).styled(theme.style(Role.MUTED), " ")
                .styled(theme.style(Role.DIFF_REMOVED), "−" + removed).styled(theme.style(Role.MUTED), " · /diff hides"), width));
        if (page.files().isEmpty()) {
            out.add(line(new AttributedStringBuilder().styled(theme.style(Role.MUTED), "  no changes"), width));
            return out;
        }
        for (FileDiff f : page.files().subList(0, Math.min(FILES, count))) {
            var b = new AttributedStringBuilder().styled(theme.style(Role.MUTED), "  " + letter(f) + " ")
                    .styled(theme.style(Role.TEXT), VisibleControls.line(f.path()));
            if (f.binary()) b.styled(theme.style(Role.MUTED), "  binary, not shown");
            else b.styled(theme.style(Role.DIFF_ADDED), "  +" + f.additions()).styled(theme.style(Role.DIFF_REMOVED), " −" + f.deletions());
            if (f.truncated()) b.styled(theme.style(Role.MUTED), "  (cut)");
            out.add(line(b, width));
        }
        if (count > FILES) out.add(line(new AttributedStringBuilder().styled(theme.style(Role.MUTED), "  … " + (count - FILES) + " more files"), width));
        var diffs = new DiffView(theme);
        int left = ROWS;
        for (FileDiff f : page.files()) {
            if (left <= 0 || f.binary() || f.patch().isBlank()) continue;
            out.add(line(new AttributedStringBuilder().styled(theme.style(Role.HEADING), "  " + VisibleControls.line(f.path())), width));
            List<AttributedString> rows = diffs.render(f.patch(), Math.max(1, width - 4), left - 1);
            for (AttributedString row : rows) out.add(new AttributedStringBuilder().append("    ").append(row).toAttributedString());
            left -= rows.size() + 1;
        }
        return out;
    }

    private static String letter(FileDiff f) {
        return switch (f.status()) {
            case "added" -> "A";
            case "deleted" -> "D";
            default -> "M";
        };
    }

    private static AttributedString line(AttributedStringBuilder b, int width) { return Wrap.truncate(b.toAttributedString(), width); }
}
