package dev.lathe.core.markdown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A flow list {@code [a, "b"]} or mapping {@code {a: b}} that fits on one line, possibly nested. */
final class Flow {
    private final String text;
    private final int line;
    private int i;

    private Flow(String text, int line) {
        this.text = text;
        this.line = line;
    }

    /**
     * The flow value {@code text} starts with; only a comment may follow it. A {@code [ ]} list followed by more text
     * is not a list but text, as Claude Code reads {@code argument-hint: [pr-number] [priority]}.
     */
    static FrontMatter.Value parse(String text, int line) {
        var flow = new Flow(text, line);
        FrontMatter.Value v = flow.value();
        String rest = text.substring(flow.i).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            if (text.startsWith("[")) return new FrontMatter.Text(Scalars.plain(text, line), line);
            throw new FrontMatterException(line, "unexpected text after the closing bracket");
        }
        return v;
    }

    private FrontMatter.Value value() {
        skipSpaces();
        if (i >= text.length()) throw unclosed();
        char c = text.charAt(i);
        if (c == '[') return items();
        if (c == '{') return fields();
        if (c == '"' || c == '\'') {
            Scalars.Quoted q = Scalars.quoted(text, i, line);
            i = q.end();
            return new FrontMatter.Text(q.text(), line);
        }
        if (c == '&' || c == '*' || c == '!') throw new FrontMatterException(line, "anchors, aliases and tags (&, *, !) are not supported");
        int start = i;
        while (i < text.length() && ",[]{}".indexOf(text.charAt(i)) < 0) {
            if (text.charAt(i) == '#' && text.charAt(i - 1) == ' ') throw unclosed();
            i++;
        }
        String plain = text.substring(start, i).strip();
        if (plain.isEmpty()) throw new FrontMatterException(line, "an empty entry in a [ ] or { } list");
        return new FrontMatter.Text(plain, line);
    }

    private FrontMatter.Items items() {
        i++;
        List<FrontMatter.Value> out = new ArrayList<>();
        skipSpaces();
        if (i < text.length() && text.charAt(i) == ']') {
            i++;
            return new FrontMatter.Items(out, line);
        }
        while (true) {
            out.add(value());
            skipSpaces();
            if (i >= text.length()) throw unclosed();
            char c = text.charAt(i++);
            if (c == ']') return new FrontMatter.Items(out, line);
            if (c != ',') throw new FrontMatterException(line, "expected , or ] in the list");
            skipSpaces();
            if (i < text.length() && text.charAt(i) == ']') {
                i++;
                return new FrontMatter.Items(out, line);
            }
        }
    }

    private FrontMatter.Fields fields() {
        i++;
        Map<String, FrontMatter.Value> out = new LinkedHashMap<>();
        while (true) {
            skipSpaces();
            if (i >= text.length()) throw unclosed();
            if (text.charAt(i) == '}') {
                i++;
                return new FrontMatter.Fields(out, line);
            }
            String key;
            if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                Scalars.Quoted q = Scalars.quoted(text, i, line);
                key = q.text();
                i = q.end();
            } else {
                int start = i;
                while (i < text.length() && ":,{}[]".indexOf(text.charAt(i)) < 0) i++;
                key = text.substring(start, i).strip();
            }
            skipSpaces();
            if (key.isEmpty() || i >= text.length() || text.charAt(i) != ':') throw new FrontMatterException(line, "expected key: value in { }");
            i++;
            if (out.put(key, value()) != null) throw new FrontMatterException(line, "duplicate key " + key);
            skipSpaces();
            if (i >= text.length()) throw unclosed();
            char c = text.charAt(i);
            if (c == ',') i++;
            else if (c != '}') throw new FrontMatterException(line, "expected , or } in the mapping");
        }
    }

    private void skipSpaces() {
        while (i < text.length() && text.charAt(i) == ' ') i++;
    }

    private FrontMatterException unclosed() {
        return new FrontMatterException(line, "a [ ] or { } value must close on its own line");
    }
}
