package dev.lathe.tui.render;

import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.jline.utils.AttributedString;

/**
 * Assistant Markdown (CommonMark with GFM tables) as styled terminal lines: headings, paragraphs with emphasis, code
 * and links, lists, task items, quotes, code blocks, tables, rules. Blocks are separated by one blank line; there is
 * no blank line first or last.
 *
 * <p>Contract: every returned line is at most {@code width} display columns (wide characters count two) and carries
 * styles from the theme only. Never throws for any input text. Thread-safe: each call parses its own tree.
 */
public final class MarkdownView {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    private final Blocks blocks;

    public MarkdownView(Theme theme) {
        this.blocks = new Blocks(theme);
    }

    /** {@code markdown} as lines of at most {@code width} columns; empty or blank input gives no lines. */
    public List<AttributedString> render(String markdown, int width) {
        if (markdown.isBlank()) return List.of();
        int w = Math.max(1, width);
        Node document = PARSER.parse(markdown);
        List<AttributedString> lines = blocks.children(document, w, Blocks.Spacing.LOOSE);
        var out = new ArrayList<AttributedString>(lines.size());
        // Only pathological nesting (a prefix wider than the width) can overflow; cutting keeps the contract.
        for (AttributedString line : lines) out.add(Lines.clamp(line, w));
        while (!out.isEmpty() && out.getLast().length() == 0) out.removeLast();
        while (!out.isEmpty() && out.getFirst().length() == 0) out.removeFirst();
        return out;
    }
}
