package dev.lathe.tui.render;

import dev.lathe.tui.render.Language.Delimiters;
import dev.lathe.tui.render.Language.Quote;
import dev.lathe.tui.render.Language.Trait;
import dev.lathe.tui.render.LanguageState.Open;
import dev.lathe.tui.text.Role;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scanner for {@link Language.Kind#CODE}: one pass over a line, longest construct first (comments, then strings,
 * then numbers and words). It never looks at another line; what stays open is returned to the caller.
 */
final class CodeLexer {
    private static final Pattern COLON_KEY =
            Pattern.compile("^(\\s*(?:- +)?)(\"[^\"]*\"|'[^']*'|[^\\s:#'\"\\-][^:#]*?|-[^\\s:#][^:#]*?)(\\s*:)(?=\\s|$)");
    private static final Pattern EQUALS_KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-\"' ]+?)(\\s*=)");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\[?[^\\]]*\\]\\]?\\s*$");
    private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:\\\\(?:u\\{[0-9a-fA-F]{1,6}\\}|x[0-9a-fA-F]{2}|.)|[^'\\\\])'");

    private CodeLexer() {}

    static Open scan(String line, Language lang, Open open, Spans out) {
        int i = 0;
        if (open instanceof Open.Until(String close, Role role, boolean escapes)) {
            int end = closeOf(line, 0, close, escapes);
            if (end < 0) {
                out.add(line, role);
                return open;
            }
            out.add(line.substring(0, end), role);
            i = end;
        } else {
            i = keyPrefix(line, lang, out);
            if (i < 0) return LanguageState.nothing();
        }
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                out.add(String.valueOf(c), Role.CODE);
                i++;
                continue;
            }
            if (startsLineComment(line, i, lang)) {
                out.add(line.substring(i), Role.COMMENT);
                return LanguageState.nothing();
            }
            Delimiters block = startsWith(line, i, lang);
            if (block != null) {
                int end = closeOf(line, i + block.open().length(), block.close(), false);
                if (end < 0) {
                    out.add(line.substring(i), Role.COMMENT);
                    return new Open.Until(block.close(), Role.COMMENT, false);
                }
                out.add(line.substring(i, end), Role.COMMENT);
                i = end;
                continue;
            }
            Quote quote = quoteAt(line, i, lang);
            if (quote != null) {
                int end = closeOf(line, i + quote.open().length(), quote.close(), quote.escapes());
                if (end < 0) {
                    out.add(line.substring(i), Role.STRING);
                    if (quote.multiline()) return new Open.Until(quote.close(), Role.STRING, quote.escapes());
                    return LanguageState.nothing();
                }
                boolean key = lang.traits().contains(Trait.STRING_KEYS) && line.substring(end).stripLeading().startsWith(":");
                out.add(line.substring(i, end), key ? Role.TYPE : Role.STRING);
                i = end;
                continue;
            }
            if (c == '\'' && lang.traits().contains(Trait.CHAR_LITERALS)) {
                Matcher m = CHAR_LITERAL.matcher(line).region(i, line.length());
                if (m.lookingAt()) {
                    out.add(m.group(), Role.STRING);
                    i = m.end();
                } else {
                    out.add("'", Role.CODE); // a lifetime or label: 'a
                    i++;
                }
                continue;
            }
            if (isDigit(c) || (c == '.' && i + 1 < line.length() && isDigit(line.charAt(i + 1)) && !wordBefore(line, i))) {
                int end = numberEnd(line, i);
                out.add(line.substring(i, end), wordBefore(line, i) ? Role.CODE : Role.NUMBER);
                i = end;
                continue;
            }
            if (c == '#' && lang.traits().contains(Trait.PREPROCESSOR) && line.substring(0, i).isBlank()) {
                int end = wordEnd(line, i + 1, lang);
                out.add(line.substring(i, end), Role.KEYWORD);
                i = end;
                continue;
            }
            if (c == '@' && i + 1 < line.length() && isWordStart(line.charAt(i + 1))) {
                int end = wordEnd(line, i + 1, lang);
                out.add(line.substring(i, end), Role.TYPE);
                i = end;
                continue;
            }
            if (isWordStart(c)) {
                int end = wordEnd(line, i, lang);
                String word = line.substring(i, end);
                out.add(word, classify(word, lang));
                i = end;
                continue;
            }
            out.add(String.valueOf(c), Role.CODE);
            i++;
        }
        return LanguageState.nothing();
    }

    /**
     * Paints a config key (YAML {@code key:}, TOML {@code key =}) or TOML section header at the start of the line and
     * returns where scanning goes on; -1 when the whole line was consumed.
     */
    private static int keyPrefix(String line, Language lang, Spans out) {
        Matcher m = null;
        if (lang.traits().contains(Trait.EQUALS_KEYS)) {
            if (SECTION.matcher(line).matches()) {
                out.add(line, Role.KEYWORD);
                return -1;
            }
            m = EQUALS_KEY.matcher(line);
        } else if (lang.traits().contains(Trait.COLON_KEYS)) {
            m = COLON_KEY.matcher(line);
        }
        if (m == null || !m.lookingAt() || m.group(2).isBlank() || startsLineComment(line, m.start(2), lang)) return 0;
        out.add(m.group(1), Role.CODE);
        out.add(m.group(2), Role.TYPE);
        out.add(m.group(3), Role.CODE);
        return m.end();
    }

    private static Role classify(String word, Language lang) {
        String key = lang.traits().contains(Trait.IGNORE_CASE) ? word.toLowerCase(Locale.ROOT) : word;
        if (lang.keywords().contains(key)) return Role.KEYWORD;
        if (lang.traits().contains(Trait.CAPITALISED_TYPES) && Character.isUpperCase(word.charAt(0))
                && word.chars().anyMatch(Character::isLowerCase)) {
            return Role.TYPE;
        }
        return Role.CODE;
    }

    private static boolean startsLineComment(String line, int i, Language lang) {
        for (String marker : lang.lineComments()) {
            if (line.startsWith(marker, i)) {
                boolean wordStart = i == 0 || Character.isWhitespace(line.charAt(i - 1));
                if (wordStart || !lang.traits().contains(Trait.COMMENT_AT_WORD_START)) return true;
            }
        }
        return false;
    }

    private static Delimiters startsWith(String line, int i, Language lang) {
        for (Delimiters d : lang.blockComments()) if (line.startsWith(d.open(), i)) return d;
        return null;
    }

    private static Quote quoteAt(String line, int i, Language lang) {
        for (Quote q : lang.quotes()) {
            if (!line.startsWith(q.open(), i)) continue;
            // Rust-style char literals and lifetimes are told apart above, not here.
            if (q.open().equals("'") && lang.traits().contains(Trait.CHAR_LITERALS)) return null;
            return q;
        }
        return null;
    }

    /** The index just after {@code close} at or after {@code from}, or -1. */
    static int closeOf(String line, int from, String close, boolean escapes) {
        for (int j = from; j < line.length(); j++) {
            if (escapes && line.charAt(j) == '\\') {
                j++;
            } else if (line.startsWith(close, j)) {
                return j + close.length();
            }
        }
        return -1;
    }

    private static int numberEnd(String line, int i) {
        int j = i + 1;
        while (j < line.length()) {
            char c = line.charAt(j);
            boolean exponentSign = (c == '+' || c == '-') && (line.charAt(j - 1) == 'e' || line.charAt(j - 1) == 'E')
                    && !line.substring(i, j).startsWith("0x");
            if (Character.isLetterOrDigit(c) || c == '_' || exponentSign
                    || (c == '.' && j + 1 < line.length() && isDigit(line.charAt(j + 1)))) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static int wordEnd(String line, int i, Language lang) {
        boolean dashed = lang.traits().contains(Trait.DASHED_WORDS);
        int j = i;
        while (j < line.length()) {
            char c = line.charAt(j);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || (dashed && c == '-' && j > i)) j++;
            else break;
        }
        return Math.max(j, i + 1);
    }

    private static boolean wordBefore(String line, int i) {
        return i > 0 && (Character.isLetterOrDigit(line.charAt(i - 1)) || line.charAt(i - 1) == '_');
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
