package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.ThematicBreak;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Renders one block node to lines of at most a given width. Containers (quotes, list items) render their children
 * narrower and put their prefix in front, so nesting needs no special cases.
 */
final class Blocks {
    /** Whether sibling blocks are separated by a blank line: always, except inside the items of a tight list. */
    enum Spacing { LOOSE, TIGHT }

    private final Theme theme;
    private final Inlines inlines;
    private final CodeBlocks code;
    private final ListLayout lists;
    private final TableLayout tables;

    Blocks(Theme theme) {
        this.theme = theme;
        this.inlines = new Inlines(theme);
        this.code = new CodeBlocks(theme);
        this.lists = new ListLayout(theme);
        this.tables = new TableLayout(theme, inlines);
    }

    Inlines inlines() { return inlines; }

    /** The children of {@code parent}, one after another. */
    List<AttributedString> children(Node parent, int width, Spacing spacing) {
        var out = new ArrayList<AttributedString>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            List<AttributedString> lines = block(n, width);
            if (lines.isEmpty()) continue;
            if (!out.isEmpty() && spacing == Spacing.LOOSE) out.add(AttributedString.EMPTY);
            out.addAll(lines);
        }
        return out;
    }

    List<AttributedString> block(Node n, int width) {
        return switch (n) {
            case Paragraph p -> Wrap.lines(inlines.of(p, theme.style(Role.TEXT)), width);
            case Heading h -> Wrap.lines(inlines.of(h, headingStyle(h.getLevel())), width);
            case BlockQuote q -> quote(q, width);
            case FencedCodeBlock f -> code.render(f.getLiteral(), f.getInfo() == null ? "" : f.getInfo(), width);
            case IndentedCodeBlock c -> code.render(c.getLiteral(), "", width);
            case ListBlock list -> lists.render(list, width, this);
            case TableBlock t -> tables.render(t, width);
            case ThematicBreak _ -> List.of(theme.paint(Role.BORDER, "─".repeat(width)));
            case HtmlBlock h -> html(h.getLiteral(), width);
            case LinkReferenceDefinition _ -> List.of();
            default -> children(n, width, Spacing.LOOSE);
        };
    }

    /** H1 underlined, H2 in the heading colour, deeper levels only bold: distinguishable without colour too. */
    private AttributedStyle headingStyle(int level) {
        AttributedStyle heading = theme.style(Role.HEADING);
        return switch (level) {
            case 1 -> heading.underline();
            case 2 -> heading;
            default -> Styles.merge(theme.style(Role.TEXT), theme.style(Role.STRONG));
        };
    }

    private List<AttributedString> quote(BlockQuote q, int width) {
        AttributedString bar = theme.paint(Role.BORDER, "│ ");
        return Lines.prefixed(children(q, Math.max(1, width - 2), Spacing.LOOSE), bar, bar);
    }

    /** Raw HTML is shown as the text it is: the terminal cannot render it and hiding it would hide content. */
    private List<AttributedString> html(String literal, int width) {
        var out = new ArrayList<AttributedString>();
        for (String line : strip(literal).split("\n", -1)) {
            out.addAll(Wrap.lines(theme.paint(Role.TEXT, Lines.clean(line)), width));
        }
        return out;
    }

    private static String strip(String literal) {
        return literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
    }
}
