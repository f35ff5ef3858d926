package dev.lathe.core.markdown;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Markdown file split into its YAML front matter and its body. The front matter is the block between a first line
 * {@code ---} and the next line {@code ---} (or {@code ...}); a file that does not start with {@code ---} has none and
 * is all body.
 *
 * <p>The front matter is read by a small strict parser of the YAML that agent, command and skill files use: block
 * mappings and lists by indentation (spaces only), plain, {@code '}single{@code '} and {@code "}double{@code "} quoted
 * scalars (quoted ones on one line), plain scalars folded over more-indented lines, literal {@code |} and folded
 * {@code >} block scalars with {@code -}/{@code +} chomping, one-line flow lists {@code [a, b]} and mappings
 * {@code {a: b}}, and {@code #} comments. Anything else — tabs in indentation, anchors, aliases, tags, several
 * documents, lists of mappings, a duplicate key — is a {@link FrontMatterException} naming the line, never a guess.
 * Scalars stay text: {@code true}, {@code 0.2} and {@code null} are the strings a caller converts (and checks) itself.
 *
 * <p>One leniency YAML lacks, because real Claude Code agent files rely on it: an unquoted value runs to the end of its
 * line even when it holds {@code ": "} ({@code description: Use it when: the user asks}); the key is what comes before
 * the first {@code ": "}. A more-indented {@code key: value} line below a value is still an error, not more of it.
 *
 * @param fields the top-level mapping, in file order
 * @param body the text after the closing delimiter line (the whole text when there is no front matter)
 * @param bodyLine the 1-based line the body starts on
 */
public record FrontMatter(Map<String, Value> fields, String body, int bodyLine) {
    /** A parsed value with the 1-based line of the file it starts on. */
    public sealed interface Value {
        int line();
    }

    /** A scalar, as text. */
    public record Text(String text, int line) implements Value {}

    /** A list. */
    public record Items(List<Value> items, int line) implements Value {
        public Items {
            items = List.copyOf(items);
        }
    }

    /** A mapping, in file order. */
    public record Fields(Map<String, Value> fields, int line) implements Value {
        public Fields {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    public FrontMatter {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Splits {@code markdown} (a leading byte-order mark is dropped). @throws FrontMatterException for front matter it cannot read */
    public static FrontMatter parse(String markdown) {
        String text = markdown.startsWith("\uFEFF") ? markdown.substring(1) : markdown;
        List<String> raw = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();  // offset just past each line's line break
        int start = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            raw.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            ends.add(nl < 0 ? text.length() : nl + 1);
            if (nl < 0) break;
            start = nl + 1;
        }
        if (!raw.getFirst().stripTrailing().equals("---")) return new FrontMatter(Map.of(), text, 1);
        int close = -1;
        for (int i = 1; i < raw.size(); i++) {
            String l = raw.get(i).stripTrailing();
            if (l.equals("---") || l.equals("...")) {
                close = i;
                break;
            }
        }
        if (close < 0) throw new FrontMatterException(1, "the front matter opened by --- is never closed: end it with a line holding only ---");
        var reader = new Reader(raw.subList(1, close), 2);
        Map<String, Value> fields = reader.document();
        return new FrontMatter(fields, text.substring(ends.get(close)), close + 2);
    }

    public Set<String> keys() { return fields.keySet(); }

    /** The scalar at {@code key}. @throws FrontMatterException when it is a list or a mapping */
    public Optional<String> text(String key) {
        Value v = fields.get(key);
        return switch (v) {
            case null -> Optional.empty();
            case Text t -> Optional.of(t.text());
            case Items i -> throw new FrontMatterException(i.line(), key + " must be a single value (key: text), not a list");
            case Fields f -> throw new FrontMatterException(f.line(), key + " must be a single value (key: text), not a mapping");
        };
    }

    /**
     * The list of scalars at {@code key}; a scalar is read as a comma-separated list ({@code tools: Read, Grep} as
     * Claude Code writes it). @throws FrontMatterException for a mapping or a list holding lists or mappings
     */
    public Optional<List<String>> texts(String key) {
        Value v = fields.get(key);
        return switch (v) {
            case null -> Optional.empty();
            case Text t -> Optional.of(t.text().isBlank() ? List.of()
                    : java.util.Arrays.stream(t.text().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
            case Items i -> {
                List<String> out = new ArrayList<>();
                for (Value item : i.items()) {
                    if (!(item instanceof Text t)) throw new FrontMatterException(item.line(), key + " must be a list of single values");
                    out.add(t.text());
                }
                yield Optional.of(out);
            }
            case Fields f -> throw new FrontMatterException(f.line(), key + " must be a list, not a mapping");
        };
    }

    /** The mapping at {@code key}. @throws FrontMatterException when it is a scalar or a list */
    public Optional<Fields> mapping(String key) {
        Value v = fields.get(key);
        return switch (v) {
            case null -> Optional.empty();
            case Fields f -> Optional.of(f);
            case Text t -> throw new FrontMatterException(t.line(), key + " must be a mapping (key: on its own line, then indented key: value lines)");
            case Items i -> throw new FrontMatterException(i.line(), key + " must be a mapping, not a list");
        };
    }

    /** One line of front matter: its number in the file, its indentation, the rest. */
    private record Line(int number, int indent, String content) {
        boolean isBlank() { return content.isBlank(); }

        /** Blank lines and whole-line comments carry nothing outside block scalars. */
        boolean isInsignificant() { return content.isBlank() || content.startsWith("#"); }

        boolean isListItem() { return content.equals("-") || content.startsWith("- "); }
    }

    /** The block parser over the front matter's lines. */
    private static final class Reader {
        private final List<Line> lines = new ArrayList<>();
        private int pos;

        Reader(List<String> raw, int firstNumber) {
            for (int i = 0; i < raw.size(); i++) {
                String l = raw.get(i);
                int indent = 0;
                while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) {
                    if (l.charAt(indent) == '\t' && !l.isBlank()) {
                        throw new FrontMatterException(firstNumber + i, "tabs cannot indent YAML; use spaces");
                    }
                    indent++;
                }
                lines.add(new Line(firstNumber + i, indent, l.substring(indent)));
            }
        }

        Map<String, Value> document() {
            Optional<Line> first = peek();
            if (first.isEmpty()) return Map.of();
            Line l = first.get();
            if (l.content().startsWith("---")) throw new FrontMatterException(l.number(), "only one YAML document is allowed");
            if (l.isListItem()) throw new FrontMatterException(l.number(), "the front matter must be a mapping (key: value lines), not a list");
            if (l.indent() != 0) throw new FrontMatterException(l.number(), "top-level keys must not be indented");
            Fields fields = mapping(0);
            peek().ifPresent(rest -> {
                throw new FrontMatterException(rest.number(), "unexpected indentation");
            });
            return fields.fields();
        }

        /** The next line that carries something, without consuming it. */
        private Optional<Line> peek() {
            while (pos < lines.size() && lines.get(pos).isInsignificant()) pos++;
            return pos < lines.size() ? Optional.of(lines.get(pos)) : Optional.empty();
        }

        private Fields mapping(int indent) {
            Map<String, Value> out = new LinkedHashMap<>();
            int startLine = peek().map(Line::number).orElse(0);
            while (true) {
                Optional<Line> next = peek();
                if (next.isEmpty() || next.get().indent() < indent) break;
                Line l = next.get();
                if (l.indent() > indent) throw new FrontMatterException(l.number(), "unexpected indentation");
                if (l.isListItem()) throw new FrontMatterException(l.number(), "a list item where a key was expected");
                var key = Scalars.key(l.content(), l.number());
                if (out.containsKey(key.text())) throw new FrontMatterException(l.number(), "duplicate key " + key.text());
                pos++;
                out.put(key.text(), value(l.content().substring(key.end()).strip(), l, indent));
            }
            return new Fields(out, startLine);
        }

        private Items list(int indent) {
            List<Value> out = new ArrayList<>();
            int startLine = peek().map(Line::number).orElse(0);
            while (true) {
                Optional<Line> next = peek();
                if (next.isEmpty() || next.get().indent() != indent || !next.get().isListItem()) break;
                Line l = next.get();
                String rest = l.content().substring(1).strip();
                if (Scalars.looksLikeKey(rest)) throw new FrontMatterException(l.number(), "lists of mappings are not supported");
                pos++;
                out.add(value(rest, l, indent));
            }
            return new Items(out, startLine);
        }

        /** The value after {@code key:} or {@code -} on line {@code l}, whose block indentation is {@code indent}. */
        private Value value(String rest, Line l, int indent) {
            if (rest.isEmpty() || rest.startsWith("#")) {
                Optional<Line> next = peek();
                if (next.isPresent() && next.get().indent() > indent) {
                    return next.get().isListItem() ? list(next.get().indent()) : mapping(next.get().indent());
                }
                // "key:" followed by "- item" lines at the key's own indentation is a list too
                if (next.isPresent() && next.get().indent() == indent && next.get().isListItem() && !l.isListItem()) return list(indent);
                return new Text("", l.number());
            }
            char c = rest.charAt(0);
            if (c == '|' || c == '>') return blockScalar(rest, l, indent);
            if (c == '[' || c == '{') return Flow.parse(rest, l.number());
            if (c == '"' || c == '\'') return Scalars.quotedValue(rest, l.number());
            if (c == '&' || c == '*' || c == '!') {
                throw new FrontMatterException(l.number(), "anchors, aliases and tags (&, *, !) are not supported; quote the value if it is text");
            }
            StringBuilder text = new StringBuilder(Scalars.plain(rest, l.number()));
            // a plain value goes on over more-indented lines, joined by spaces
            while (pos < lines.size() && !lines.get(pos).isBlank() && lines.get(pos).indent() > indent && !lines.get(pos).content().startsWith("#")) {
                Line more = lines.get(pos);
                // a more-indented "key: value" is a key in the wrong place, not more of the value
                if (Scalars.looksLikeKey(more.content())) throw new FrontMatterException(more.number(), "unexpected indentation");
                pos++;
                text.append(' ').append(Scalars.plain(more.content(), more.number()));
            }
            return new Text(text.toString(), l.number());
        }

        private Text blockScalar(String header, Line l, int indent) {
            char style = header.charAt(0);
            String rest = header.substring(1);
            char chomp = ' ';
            if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
                chomp = rest.charAt(0);
                rest = rest.substring(1);
            }
            rest = rest.strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new FrontMatterException(l.number(), "after " + style + " write the text on the following, indented lines");
            }
            List<String> content = new ArrayList<>();
            int contentIndent = -1;
            while (pos < lines.size()) {
                Line next = lines.get(pos);
                if (next.isBlank()) {
                    content.add("");
                    pos++;
                    continue;
                }
                if (next.indent() <= indent) break;
                if (contentIndent < 0) contentIndent = next.indent();
                if (next.indent() < contentIndent) throw new FrontMatterException(next.number(), "this line is less indented than the text above it");
                content.add(" ".repeat(next.indent() - contentIndent) + next.content());
                pos++;
            }
            int trailing = 0;
            while (!content.isEmpty() && content.getLast().isEmpty()) {
                content.removeLast();
                trailing++;
            }
            String body = style == '|' ? String.join("\n", content) : folded(content);
            String text = switch (chomp) {
                case '-' -> body;
                case '+' -> body + "\n".repeat(content.isEmpty() ? trailing : trailing + 1);
                default -> body.isEmpty() ? "" : body + "\n";
            };
            return new Text(text, l.number());
        }

        /** YAML folding: lines of one paragraph joined by spaces, an empty line a line break, more-indented lines kept. */
        private static String folded(List<String> content) {
            var out = new StringBuilder();
            boolean joinable = false;
            for (String line : content) {
                if (line.isEmpty()) {
                    out.append('\n');
                    joinable = false;
                } else if (line.startsWith(" ")) {
                    if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append('\n');
                    out.append(line).append('\n');
                    joinable = false;
                } else {
                    if (joinable) out.append(' ');
                    out.append(line);
                    joinable = true;
                }
            }
            String s = out.toString();
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
