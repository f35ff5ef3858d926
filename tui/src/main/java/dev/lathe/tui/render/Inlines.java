package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * A block's inline children as one styled string, ready for {@link dev.lathe.tui.text.Wrap}: styles nest (a link
 * inside bold stays bold), a hard break is a {@code \n}, a soft break a space.
 */
final class Inlines {
    private final Theme theme;

    Inlines(Theme theme) {
        this.theme = theme;
    }

    /** The inline children of {@code parent}, on top of {@code base}. */
    AttributedString of(Node parent, AttributedStyle base) {
        var out = new AttributedStringBuilder();
        children(parent, base, out);
        return out.toAttributedString();
    }

    private void children(Node parent, AttributedStyle style, AttributedStringBuilder out) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) node(n, style, out);
    }

    private void node(Node n, AttributedStyle style, AttributedStringBuilder out) {
        switch (n) {
            case Text t -> append(out, t.getLiteral(), style);
            case SoftLineBreak _ -> append(out, " ", style);
            case HardLineBreak _ -> out.append("\n");
            case Code c -> append(out, c.getLiteral(), over(style, Role.INLINE_CODE));
            case Emphasis _ -> children(n, over(style, Role.EMPHASIS), out);
            case StrongEmphasis _ -> children(n, over(style, Role.STRONG), out);
            case HtmlInline h -> append(out, h.getLiteral(), style);
            case Link link -> link(link, link.getDestination(), style, out);
            case Image image -> {
                append(out, "image: ", over(style, Role.MUTED));
                link(image, image.getDestination(), style, out);
            }
            default -> children(n, style, out);
        }
    }

    /** Link text styled, then the destination in parentheses unless the text already says it (autolinks). */
    private void link(Node n, String destination, AttributedStyle style, AttributedStringBuilder out) {
        int start = out.length();
        children(n, over(style, Role.LINK), out);
        String text = out.toAttributedString().subSequence(start, out.length()).toString();
        if (destination.isEmpty() || text.equals(destination) || ("mailto:" + text).equals(destination)) return;
        append(out, " (" + destination + ")", over(style, Role.MUTED));
    }

    private AttributedStyle over(AttributedStyle base, Role role) {
        return Styles.merge(base, theme.style(role));
    }

    private static void append(AttributedStringBuilder out, String text, AttributedStyle style) {
        out.style(style).append(Lines.clean(text));
    }
}
