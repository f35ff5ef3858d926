package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * A fenced or indented code block: the language in a muted label line, then the code highlighted, from the first
 * column. Nothing is added to the left (no indent, no gutter) or drawn to the right of the code, and long lines are
 * cut, never word-wrapped, so a selection copies exactly the code; the highlighting and the label set it apart.
 */
final class CodeBlocks {
    static final int INDENT = 0;

    private final Theme theme;
    private final CodeHighlighter highlighter;

    CodeBlocks(Theme theme) {
        this.theme = theme;
        this.highlighter = new CodeHighlighter(theme);
    }

    List<AttributedString> render(String literal, String info, int width) {
        var out = new ArrayList<AttributedString>();
        String name = info.strip().split("\\s+", 2)[0];
        if (!name.isEmpty()) out.add(Wrap.truncate(theme.paint(Role.MUTED, Lines.clean(name)), width));
        String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        if (body.isEmpty()) return out;
        Language language = CodeHighlighter.language(name).orElse(Languages.PLAIN);
        LanguageState state = LanguageState.start(language);
        AttributedString indent = Lines.spaces(INDENT);
        for (String line : body.split("\n", -1)) {
            CodeHighlighter.Highlighted h = highlighter.highlight(line, state);
            state = h.next();
            if (h.line().length() == 0) {
                out.add(AttributedString.EMPTY);
                continue;
            }
            for (AttributedString piece : Lines.hardCut(h.line(), Math.max(1, width - INDENT))) {
                out.add(AttributedString.join(AttributedString.EMPTY, indent, piece));
            }
        }
        return out;
    }
}
