package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.commonmark.node.BulletList;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.jline.utils.AttributedString;

/**
 * Bullet and ordered lists: the marker, then the item's blocks with a hanging indent aligned after the widest marker
 * of the list. Bullets change with depth ({@code • ◦ ▪}); task items ({@code [ ]}, {@code [x]}) show a box instead.
 */
final class ListLayout {
    private static final String[] BULLETS = {"•", "◦", "▪"};

    private final Theme theme;

    ListLayout(Theme theme) { this.theme = theme; }

    /** The list, its items' blocks laid out by {@code blocks} (the layout this list is in). */
    List<AttributedString> render(ListBlock list, int width, Blocks blocks) {
        List<ListItem> items = new ArrayList<>();
        for (Node n = list.getFirstChild(); n != null; n = n.getNext()) if (n instanceof ListItem item) items.add(item);
        List<String> markers = markers(list, items);
        int markerWidth = markers.stream().mapToInt(String::length).max().orElse(1) + 1;
        Blocks.Spacing spacing = list.isTight() ? Blocks.Spacing.TIGHT : Blocks.Spacing.LOOSE;
        var out = new ArrayList<AttributedString>();
        for (int i = 0; i < items.size(); i++) {
            ListItem item = items.get(i);
            String marker = taskBox(item).orElse(markers.get(i));
            // Numbers are right-aligned so that "9." and "10." end in the same column.
            String padded = " ".repeat(markerWidth - 1 - marker.length()) + marker + " ";
            List<AttributedString> content = blocks.children(item, Math.max(1, width - markerWidth), spacing);
            if (content.isEmpty()) content = List.of(AttributedString.EMPTY);
            if (i > 0 && spacing == Blocks.Spacing.LOOSE) out.add(AttributedString.EMPTY);
            out.addAll(Lines.prefixed(content, theme.paint(Role.ACCENT, padded), Lines.spaces(markerWidth)));
        }
        return out;
    }

    private List<String> markers(ListBlock list, List<ListItem> items) {
        var markers = new ArrayList<String>();
        if (list instanceof OrderedList ordered) {
            Integer start = ordered.getMarkerStartNumber();
            String delimiter = ordered.getMarkerDelimiter() == null ? "." : ordered.getMarkerDelimiter();
            for (int i = 0; i < items.size(); i++) markers.add(((start == null ? 1 : start) + i) + delimiter);
        } else {
            String bullet = BULLETS[depth(list) % BULLETS.length];
            for (int i = 0; i < items.size(); i++) markers.add(bullet);
        }
        return markers;
    }

    private static int depth(ListBlock list) {
        int depth = 0;
        for (Node p = list.getParent(); p != null; p = p.getParent()) if (p instanceof ListBlock) depth++;
        return depth;
    }

    /**
     * For a bullet item starting with {@code [ ] } or {@code [x] }: the box to show instead of the bullet. The brackets
     * are removed from the item's text, so this changes the tree, which belongs to this render call alone.
     */
    private static Optional<String> taskBox(ListItem item) {
        if (!(item.getParent() instanceof BulletList)
                || !(item.getFirstChild() instanceof Paragraph p)
                || !(p.getFirstChild() instanceof Text text)) {
            return Optional.empty();
        }
        String literal = text.getLiteral();
        if (literal.length() < 4 || literal.charAt(0) != '[' || literal.charAt(2) != ']' || literal.charAt(3) != ' ') {
            return Optional.empty();
        }
        char mark = literal.charAt(1);
        if (mark != ' ' && mark != 'x' && mark != 'X') return Optional.empty();
        text.setLiteral(literal.substring(4));
        return Optional.of(mark == ' ' ? "☐" : "☑");
    }
}
