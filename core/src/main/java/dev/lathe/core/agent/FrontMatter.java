package dev.lathe.core.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Markdown file's YAML front matter, parsed for the subset agent (and command) files use: {@code key: value} maps
 * nested by indentation, plain, {@code "double"} and {@code 'single'} quoted scalars, {@code |} and {@code >} block
 * scalars, lists as {@code [a, b]} or {@code - a} lines, flow maps {@code {a: b}}, and {@code #} comments. Everything
 * else (anchors, tags, multiple documents, a list of maps) is rejected with its line, never guessed at. Scalars stay
 * text: the caller knows which ones are numbers or booleans.
 *
 * <p>One leniency, because real Claude Code agent files rely on it: an unquoted value runs to the end of its line even
 * when it holds {@code ": "} ({@code description: Use it when: ...}).
 */
record FrontMatter(Node.Mapping fields, String body) {

    /** A parsed value with the (1-based) line it starts on. */
    sealed interface Node {
        int line();

        record Scalar(String text, int line) implements Node {}

        record Sequence(List<Node> items, int line) implements Node {}

        record Mapping(Map<String, Node> entries, int line) implements Node {
            Optional<Node> get(String key) { return Optional.ofNullable(entries.get(key)); }
        }
    }

    /** The file's front matter does not parse; {@code line} is 1-based in the file. */
    static final class Malformed extends RuntimeException {
        final int line;

        Malformed(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /**
     * Splits {@code text} into front matter and body (stripped). A file that does not start with a {@code ---} line has
     * no front matter: all of it is the body.
     *
     * @throws Malformed naming the line of the first problem
     */
    static FrontMatter parse(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = t.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().strip().equals("---")) return new FrontMatter(new Node.Mapping(Map.of(), 1), t.strip());
        int end = -1;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).stripTrailing();
            if (l.equals("---") || l.equals("...")) {
                end = i;
                break;
            }
        }
        if (end < 0) throw new Malformed(1, "the front matter opened by --- is never closed by another --- line");
        var parser = new Parser(lines.subList(1, end), 2);
        Node.Mapping fields = parser.document();
        String body = String.join("\n", lines.subList(end + 1, lines.size())).strip();
        return new FrontMatter(fields, body);
    }

    /** A recursive-descent parser over the front matter's lines; {@code offset} is the file line of the first one. */
    private static final class Parser {
        private final List<String> lines;
        private final int offset;
        private int at;

        Parser(List<String> lines, int offset) {
            this.lines = lines;
            this.offset = offset;
        }

        Node.Mapping document() {
            skipBlank();
            if (at >= lines.size()) return new Node.Mapping(Map.of(), offset);
            int indent = indent(lines.get(at));
            if (indent != 0) throw error(at, "the first key must start at the beginning of its line");
            if (isItem(lines.get(at), 0)) throw error(at, "expected key: value lines, not a list");
            Node.Mapping map = mapping(0);
            skipBlank();
            if (at < lines.size()) throw error(at, "unexpected indentation");
            return map;
        }

        private Node.Mapping mapping(int indent) {
            int first = at;
            Map<String, Node> entries = new LinkedHashMap<>();
            while (true) {
                skipBlank();
                if (at >= lines.size()) break;
                String line = lines.get(at);
                int i = indent(line);
                if (i < indent) break;
                if (i > indent) throw error(at, "unexpected indentation");
                if (isItem(line, indent)) throw error(at, "a list item where a key was expected");
                int lineNo = at;
                Cursor c = new Cursor(this, line, indent, lineNo);
                String key = c.key();
                if (entries.containsKey(key)) throw error(lineNo, "duplicate key '" + key + "'");
                c.skipSpaces();
                at++;
                entries.put(key, value(c, indent, lineNo));
            }
            return new Node.Mapping(entries, line(first));
        }

        /** The value after {@code key:} on line {@code lineNo}, which may continue on the lines below. */
        private Node value(Cursor c, int indent, int lineNo) {
            if (c.atEnd()) {
                skipBlank();
                if (at < lines.size()) {
                    String next = lines.get(at);
                    int i = indent(next);
                    if (i > indent) return isItem(next, i) ? sequence(i) : mapping(i);
                    if (i == indent && isItem(next, i)) return sequence(i);
                }
                return new Node.Scalar("", line(lineNo));
            }
            char ch = c.peek();
            if (ch == '|' || ch == '>') return blockScalar(c, indent, lineNo);
            if (ch == '[' || ch == '{') return flow(c, lineNo);
            if (ch == '&' || ch == '*' || ch == '!') throw error(lineNo, "anchors, aliases and tags are not supported");
            if (ch == '"' || ch == '\'') {
                Node.Scalar s = quoted(c, lineNo);
                c.skipSpaces();
                c.comment();
                if (!c.atEnd()) throw error(c.lineNo, "unexpected text after the quoted value");
                return s;
            }
            String text = c.plainToEnd();
            // a plain value may continue on more indented lines, folded into one line
            StringBuilder folded = new StringBuilder(text);
            while (at < lines.size() && !lines.get(at).isBlank() && indent(lines.get(at)) > indent && !isComment(lines.get(at))) {
                // a more indented "key: value" is a key in the wrong place, not more of the value
                if (lines.get(at).strip().matches("[^\\s\"'#\\[{-][^:]*:(\\s.*)?")) throw error(at, "unexpected indentation");
                folded.append(' ').append(new Cursor(this, lines.get(at), indent(lines.get(at)), at).plainToEnd());
                at++;
            }
            return new Node.Scalar(folded.toString(), line(lineNo));
        }

        private Node.Sequence sequence(int indent) {
            int first = at;
            List<Node> items = new ArrayList<>();
            while (true) {
                skipBlank();
                if (at >= lines.size()) break;
                String line = lines.get(at);
                int i = indent(line);
                if (i < indent || (i == indent && !isItem(line, indent))) break;
                if (i > indent) throw error(at, "unexpected indentation");
                int lineNo = at;
                Cursor c = new Cursor(this, line, indent + 1, lineNo);
                c.skipSpaces();
                at++;
                if (c.atEnd()) throw error(lineNo, "an empty list item (nested blocks in lists are not supported)");
                char ch = c.peek();
                if (ch == '[' || ch == '{') {
                    items.add(flow(c, lineNo));
                } else if (ch == '"' || ch == '\'') {
                    items.add(quoted(c, lineNo));
                    c.skipSpaces();
                    c.comment();
                    if (!c.atEnd()) throw error(c.lineNo, "unexpected text after the quoted value");
                } else {
                    String text = c.plainToEnd();
                    if (text.matches("[^\\s\"'\\[{][^:]*:(\\s.*)?")) throw error(lineNo, "a key: value inside a list item is not supported");
                    items.add(new Node.Scalar(text, line(lineNo)));
                }
            }
            return new Node.Sequence(items, line(first));
        }

        /** {@code |} keeps line breaks, {@code >} folds lines into one (a blank line stays a break). */
        private Node.Scalar blockScalar(Cursor c, int indent, int lineNo) {
            boolean literal = c.next() == '|';
            while (!c.atEnd() && (c.peek() == '-' || c.peek() == '+' || Character.isDigit(c.peek()))) c.next();
            c.skipSpaces();
            c.comment();
            if (!c.atEnd()) throw error(lineNo, "unexpected text after the block scalar indicator");
            List<String> block = new ArrayList<>();
            int blockIndent = -1;
            while (at < lines.size()) {
                String l = lines.get(at);
                if (l.isBlank()) {
                    block.add("");
                    at++;
                    continue;
                }
                int i = indent(l);
                if (i <= indent) break;
                if (blockIndent < 0) blockIndent = i;
                if (i < blockIndent) throw error(at, "this line is indented less than the block it belongs to");
                block.add(l.substring(blockIndent));
                at++;
            }
            while (!block.isEmpty() && block.getLast().isEmpty()) block.removeLast();
            if (literal) return new Node.Scalar(String.join("\n", block), line(lineNo));
            StringBuilder out = new StringBuilder();
            for (String b : block) {
                if (b.isEmpty()) out.append('\n');
                else if (out.isEmpty() || out.charAt(out.length() - 1) == '\n') out.append(b);
                else out.append(' ').append(b);
            }
            return new Node.Scalar(out.toString(), line(lineNo));
        }

        /** A flow list or map; it may span lines until its brackets close. */
        private Node flow(Cursor c, int lineNo) {
            Node n = c.flowValue();
            c.skipSpaces();
            c.comment();
            if (!c.atEnd()) throw error(c.lineNo, "unexpected text after the closing bracket");
            return n;
        }

        private Node.Scalar quoted(Cursor c, int lineNo) {
            return new Node.Scalar(c.quoted(), line(lineNo));
        }

        /** The next line, for a flow collection or quoted string that continues; fails at the end of the front matter. */
        String continuation(int fromLine) {
            if (at >= lines.size()) throw error(fromLine, "an unclosed bracket or quote");
            return lines.get(at++);
        }

        int currentLine() { return at - 1; }

        private void skipBlank() {
            while (at < lines.size() && (lines.get(at).isBlank() || isComment(lines.get(at)))) at++;
        }

        /** Leading spaces; a tab there is an error (YAML forbids it, and it hides the real nesting). */
        private int indent(String line) {
            int i = 0;
            while (i < line.length() && line.charAt(i) == ' ') i++;
            if (i < line.length() && line.charAt(i) == '\t') throw error(at, "a tab in indentation (use spaces)");
            return i;
        }

        private static boolean isComment(String line) { return line.stripLeading().startsWith("#"); }

        private static boolean isItem(String line, int indent) {
            return line.length() > indent && line.charAt(indent) == '-' && (line.length() == indent + 1 || line.charAt(indent + 1) == ' ');
        }

        int line(int index) { return index + offset; }

        Malformed error(int index, String message) { return new Malformed(line(index), message); }
    }

    /** A position in one line (and, for flow values and quoted strings, the lines that continue it). */
    private static final class Cursor {
        private final Parser p;
        private String text;
        private int pos;
        /** Index (in the parser's lines) of the line {@code text} is. */
        int lineNo;

        Cursor(Parser p, String text, int pos, int lineNo) {
            this.p = p;
            this.text = text;
            this.pos = pos;
            this.lineNo = lineNo;
        }

        private Malformed error(String message) { return p.error(lineNo, message); }

        boolean atEnd() { return pos >= text.length(); }

        char peek() { return text.charAt(pos); }

        char next() { return text.charAt(pos++); }

        void skipSpaces() { while (!atEnd() && (peek() == ' ' || peek() == '\t')) pos++; }

        /** A trailing comment ends the line. */
        void comment() { if (!atEnd() && peek() == '#') pos = text.length(); }

        /** {@code key:} with a plain or quoted key, followed by a space or the end of the line. */
        String key() {
            String key;
            if (peek() == '"' || peek() == '\'') {
                key = quotedOnLine();
            } else {
                int start = pos;
                while (!atEnd() && !(peek() == ':' && (pos + 1 == text.length() || text.charAt(pos + 1) == ' '))) pos++;
                if (atEnd()) throw error("expected key: value");
                key = text.substring(start, pos).strip();
                if (key.isEmpty()) throw error("a value without a key");
                if ("[{&*!|>%@`".indexOf(key.charAt(0)) >= 0) throw error("unsupported key syntax: " + key);
            }
            if (atEnd() || peek() != ':') throw error("expected ':' after the key");
            pos++;
            if (!atEnd() && peek() != ' ') throw error("expected a space after ':'");
            return key;
        }

        /** The rest of the line, without a trailing {@code # comment}. */
        String plainToEnd() {
            String rest = text.substring(pos);
            int hash = rest.indexOf(" #");
            if (hash >= 0) rest = rest.substring(0, hash);
            pos = text.length();
            return rest.strip();
        }

        private String quotedOnLine() {
            char q = next();
            StringBuilder out = new StringBuilder();
            while (!atEnd()) {
                char ch = next();
                if (ch == q) {
                    if (q == '\'' && !atEnd() && peek() == '\'') {
                        out.append('\'');
                        pos++;
                        continue;
                    }
                    return out.toString();
                }
                if (ch == '\\' && q == '"') out.append(escape());
                else out.append(ch);
            }
            throw error("an unclosed quote");
        }

        /** A quoted scalar, which may continue on following lines (each line break folds into a space). */
        String quoted() {
            char q = next();
            StringBuilder out = new StringBuilder();
            int opened = lineNo;
            while (true) {
                while (!atEnd()) {
                    char ch = next();
                    if (ch == q) {
                        if (q == '\'' && !atEnd() && peek() == '\'') {
                            out.append('\'');
                            pos++;
                            continue;
                        }
                        return out.toString();
                    }
                    if (ch == '\\' && q == '"') out.append(escape());
                    else out.append(ch);
                }
                if (p.at >= p.lines.size()) throw p.error(opened, "an unclosed quote");
                text = p.continuation(opened).strip();
                lineNo = p.currentLine();
                pos = 0;
                out.append(' ');
            }
        }

        private String escape() {
            if (atEnd()) throw error("a backslash at the end of a quoted string");
            char e = next();
            return switch (e) {
                case 'n' -> "\n";
                case 't' -> "\t";
                case 'r' -> "\r";
                case '0' -> "\0";
                case '"', '\\', '/', ' ' -> String.valueOf(e);
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("a bad \\u escape");
                    String hex = text.substring(pos, pos + 4);
                    pos += 4;
                    try {
                        yield String.valueOf((char) Integer.parseInt(hex, 16));
                    } catch (NumberFormatException x) {
                        throw error("a bad \\u escape");
                    }
                }
                default -> throw error("an unknown escape \\" + e);
            };
        }

        /** A flow value: {@code [..]}, {@code {..}}, a quoted string or a plain scalar ending at {@code , ] }}. */
        Node flowValue() {
            skipFlowSpace();
            int line = p.line(lineNo);
            char ch = peek();
            if (ch == '[') {
                pos++;
                List<Node> items = new ArrayList<>();
                skipFlowSpace();
                if (peek() == ']') {
                    pos++;
                    return new Node.Sequence(items, line);
                }
                while (true) {
                    items.add(flowValue());
                    skipFlowSpace();
                    char sep = next();
                    if (sep == ']') return new Node.Sequence(items, line);
                    if (sep != ',') throw error("expected ',' or ']' in a list");
                    skipFlowSpace();
                    if (peek() == ']') {
                        pos++;
                        return new Node.Sequence(items, line);
                    }
                }
            }
            if (ch == '{') {
                pos++;
                Map<String, Node> entries = new LinkedHashMap<>();
                skipFlowSpace();
                if (peek() == '}') {
                    pos++;
                    return new Node.Mapping(entries, line);
                }
                while (true) {
                    skipFlowSpace();
                    String key = peek() == '"' || peek() == '\'' ? quoted() : flowPlain();
                    skipFlowSpace();
                    if (next() != ':') throw error("expected ':' after '" + key + "' in a map");
                    if (entries.containsKey(key)) throw error("duplicate key '" + key + "'");
                    entries.put(key, flowValue());
                    skipFlowSpace();
                    char sep = next();
                    if (sep == '}') return new Node.Mapping(entries, line);
                    if (sep != ',') throw error("expected ',' or '}' in a map");
                    skipFlowSpace();
                    if (peek() == '}') {
                        pos++;
                        return new Node.Mapping(entries, line);
                    }
                }
            }
            if (ch == '"' || ch == '\'') return new Node.Scalar(quoted(), line);
            String plain = flowPlain();
            if (plain.isEmpty()) throw error("a missing value in a list or map");
            return new Node.Scalar(plain, line);
        }

        private String flowPlain() {
            int start = pos;
            while (!atEnd() && ",]}".indexOf(peek()) < 0 && !(peek() == ':' && (pos + 1 == text.length() || " ,]}".indexOf(text.charAt(pos + 1)) >= 0))) pos++;
            return text.substring(start, pos).strip();
        }

        /** Spaces, and line ends inside an open bracket. */
        private void skipFlowSpace() {
            while (true) {
                skipSpaces();
                if (!atEnd() && peek() != '#') return;
                text = p.continuation(lineNo);
                lineNo = p.currentLine();
                pos = 0;
            }
        }
    }
}
