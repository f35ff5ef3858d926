package dev.lathe.tui.render;

import java.util.List;
import java.util.Set;

/**
 * What the {@link CodeHighlighter} knows about one language: a lexicon, not a grammar. Instances come from
 * {@link CodeHighlighter#language(String)} and {@link CodeHighlighter#forPath(String)}.
 *
 * @param name          the canonical name, e.g. {@code "java"}
 * @param kind          which scanner reads it
 * @param keywords      reserved words and literals such as {@code true}; lower case when {@link Trait#IGNORE_CASE}
 * @param lineComments  markers that comment out the rest of the line, e.g. {@code //}
 * @param blockComments comments that may span lines, e.g. {@code /* … *}{@code /}
 * @param quotes        string delimiters, the longer ones first ({@code """} before {@code "})
 * @param traits        lexical quirks
 */
public record Language(String name, Kind kind, Set<String> keywords, List<String> lineComments,
                       List<Delimiters> blockComments, List<Quote> quotes, Set<Trait> traits) {

    public Language {
        keywords = Set.copyOf(keywords);
        lineComments = List.copyOf(lineComments);
        blockComments = List.copyOf(blockComments);
        quotes = List.copyOf(quotes);
        traits = traits.isEmpty() ? Set.of() : Set.copyOf(traits);
    }

    /** Which scanner reads the language. */
    public enum Kind {
        /** Identifiers, keywords, numbers, strings and comments: most programming and config languages. */
        CODE,
        /** HTML and XML: tags, attributes, attribute values, {@code <!-- -->} comments. */
        MARKUP,
        /** Unified diff lines coloured by their first character. */
        DIFF,
        /** Nothing highlighted (plain text, Markdown, unknown languages). */
        PLAIN
    }

    /** Lexical quirks that would otherwise need a class per language. */
    public enum Trait {
        /** A capitalised identifier with a lower-case letter in it ({@code String}, not {@code MAX}) is a type. */
        CAPITALISED_TYPES,
        /** Keywords match in any case (SQL). */
        IGNORE_CASE,
        /** A line comment marker counts only at the start of a word ({@code #} in shell, not {@code $#}). */
        COMMENT_AT_WORD_START,
        /** Identifiers may contain {@code -} (CSS properties, shell commands). */
        DASHED_WORDS,
        /** {@code '} starts a one-character literal, otherwise it is a lifetime or label (Rust). */
        CHAR_LITERALS,
        /** A word before {@code :} at the start of a line is a key (YAML). */
        COLON_KEYS,
        /** A word before {@code =} at the start of a line is a key, {@code [section]} lines are headers (TOML, INI). */
        EQUALS_KEYS,
        /** A string followed by {@code :} is a key (JSON). */
        STRING_KEYS,
        /** A line starting with {@code #word} is a preprocessor directive (C, C++, C#). */
        PREPROCESSOR
    }

    /** A construct's opening and closing text. */
    public record Delimiters(String open, String close) {}

    /**
     * A string delimiter.
     *
     * @param multiline whether the string may continue on the next line (Python's {@code """}, JavaScript's backtick)
     * @param escapes   whether a backslash escapes the next character
     */
    public record Quote(String open, String close, boolean multiline, boolean escapes) {}
}
