package dev.lathe.core.markdown;

import java.util.HexFormat;

/** Keys and scalars of one front-matter line: plain, single- and double-quoted, with the YAML rules for comments. */
final class Scalars {
    private Scalars() {}

    /** A key and the index just past its {@code :}. */
    record Key(String text, int end) {}

    /** A quoted scalar's text and the index just past its closing quote. */
    record Quoted(String text, int end) {}

    static Key key(String content, int line) {
        if (content.startsWith("\"") || content.startsWith("'")) {
            Quoted q = quoted(content, 0, line);
            int i = q.end();
            if (i >= content.length() || content.charAt(i) != ':' || (i + 1 < content.length() && content.charAt(i + 1) != ' ')) {
                throw new FrontMatterException(line, "expected : after the quoted key");
            }
            return new Key(q.text(), i + 1);
        }
        int colon = keyColon(content);
        if (colon < 0) throw new FrontMatterException(line, "expected key: value");
        String key = content.substring(0, colon).strip();
        if (key.isEmpty()) throw new FrontMatterException(line, "the key before : is missing");
        if ("[{&*!|>%@`".indexOf(key.charAt(0)) >= 0) {
            throw new FrontMatterException(line, "a key cannot start with " + key.charAt(0) + "; quote it");
        }
        return new Key(key, colon + 1);
    }

    /** Whether a list item's text is {@code key: value} (a mapping, which lists here cannot hold). */
    static boolean looksLikeKey(String text) {
        if (text.isEmpty() || "\"'[{".indexOf(text.charAt(0)) >= 0) return false;
        return keyColon(text) >= 0;
    }

    /** The index of the first {@code :} followed by a space or the end, before any comment; -1 if none. */
    private static int keyColon(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '#' && i > 0 && content.charAt(i - 1) == ' ') return -1;
            if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) return i;
        }
        return -1;
    }

    /** A plain scalar: the text before any {@code " #"} comment, stripped; it may hold {@code ": "} (see below). */
    static String plain(String text, int line) {
        String value = text;
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '#' && (value.charAt(i - 1) == ' ' || value.charAt(i - 1) == '\t')) {
                value = value.substring(0, i);
                break;
            }
        }
        // Leniency, unlike YAML: a plain value may hold ": " (and end in ":"), because real Claude Code agent files write
        // descriptions like "description: Use it when: the user asks". The key is what comes before the first ": ".
        return value.strip();
    }

    /** A quoted scalar that is the whole value: only a comment may follow it. */
    static FrontMatter.Text quotedValue(String text, int line) {
        Quoted q = quoted(text, 0, line);
        String rest = text.substring(q.end()).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) throw new FrontMatterException(line, "unexpected text after the closing quote");
        return new FrontMatter.Text(q.text(), line);
    }

    /** The quoted scalar starting at {@code start} ({@code '} or {@code "}); it must end on this line. */
    static Quoted quoted(String text, int start, int line) {
        char quote = text.charAt(start);
        var out = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        out.append('\'');
                        i += 2;
                        continue;
                    }
                    return new Quoted(out.toString(), i + 1);
                }
                out.append(c);
                i++;
                continue;
            }
            if (c == '"') return new Quoted(out.toString(), i + 1);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) break;
            char e = text.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case '"', '\\', '/', ' ' -> out.append(e);
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits > text.length()) throw new FrontMatterException(line, "incomplete \\" + e + " escape");
                    try {
                        out.appendCodePoint(HexFormat.fromHexDigits(text, i, i + digits));
                    } catch (IllegalArgumentException ex) {
                        throw new FrontMatterException(line, "bad \\" + e + " escape");
                    }
                    i += digits;
                }
                default -> throw new FrontMatterException(line, "unknown escape \\" + e + " in a double-quoted value");
            }
        }
        throw new FrontMatterException(line, "the quoted value is not closed on its line (quoted values must fit on one line; use | for long text)");
    }
}
