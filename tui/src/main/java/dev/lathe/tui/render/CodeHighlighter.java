package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * A small lexical highlighter: keywords, strings, comments, numbers and capitalised type names, per the
 * {@link Language} table, painted with the theme's code roles. It is not a parser, so it is wrong now and then (a
 * regex literal, a heredoc), but it never fails and it costs one pass per line.
 *
 * <p>Line by line, for streaming and for cut lines, thread the state through:
 * {@snippet :
 * LanguageState state = LanguageState.start(language);
 * for (String line : lines) {
 *     CodeHighlighter.Highlighted h = highlighter.highlight(line, state);
 *     print(h.line());
 *     state = h.next();
 * }
 * }
 * Thread-safe: it holds only the theme.
 */
public final class CodeHighlighter {
    private final Theme theme;

    public CodeHighlighter(Theme theme) {
        this.theme = theme;
    }

    /** One highlighted line and the state the next line starts in. */
    public record Highlighted(AttributedString line, LanguageState next) {}

    /** The language called {@code name} or one of its aliases ({@code "ts"}, {@code "c++"}, {@code "yml"}), any case. */
    public static Optional<Language> language(String name) {
        return Languages.byName(name);
    }

    /** The language of a file, by its extension or well-known name ({@code "src/Main.java"}, {@code "Makefile"}). */
    public static Optional<Language> forPath(String path) {
        return Languages.byPath(path);
    }

    /**
     * Highlights one line (without its line break). Tabs become spaces and control characters their visible pictures,
     * so the result is safe to print and its {@code columnLength()} is what the terminal shows.
     */
    public Highlighted highlight(String line, LanguageState state) {
        String clean = Lines.clean(line);
        var spans = new Spans(theme);
        LanguageState next = switch (state.language().kind()) {
            case CODE -> state.with(CodeLexer.scan(clean, state.language(), state.open(), spans));
            case MARKUP -> state.with(MarkupLexer.scan(clean, state.open(), spans));
            case DIFF -> {
                spans.add(clean, diffRole(clean));
                yield state;
            }
            case PLAIN -> {
                spans.add(clean, Role.CODE);
                yield state;
            }
        };
        return new Highlighted(spans.toAttributedString(), next);
    }

    /** Every line of {@code code}, unwrapped; an unknown {@code language} (or an empty one) gives plain code. */
    public List<AttributedString> highlight(String code, String language) {
        return highlight(code, language(language).orElse(Languages.PLAIN));
    }

    /** Every line of {@code code}, unwrapped. A trailing line break does not make an empty last line. */
    public List<AttributedString> highlight(String code, Language language) {
        var out = new ArrayList<AttributedString>();
        LanguageState state = LanguageState.start(language);
        for (String line : code.lines().toList()) {
            Highlighted h = highlight(line, state);
            out.add(h.line());
            state = h.next();
        }
        return out;
    }

    private static Role diffRole(String line) {
        if (line.startsWith("+")) return Role.DIFF_ADDED;
        if (line.startsWith("-")) return Role.DIFF_REMOVED;
        if (line.startsWith("@@")) return Role.DIFF_HUNK;
        if (line.startsWith("diff ") || line.startsWith("index ") || line.startsWith("\\")) return Role.MUTED;
        return Role.CODE;
    }
}
