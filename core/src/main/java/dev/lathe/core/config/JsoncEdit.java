package dev.lathe.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a merge patch to the text of a JSON-with-comments file by editing only the members it changes: comments,
 * key order and formatting elsewhere stay as the user wrote them. A replaced or added value is written with the
 * indentation of its neighbours; a removed member takes its line, trailing comment and comma with it.
 *
 * <p>Text edits on a hand-written file can go wrong in ways a tree cannot, so {@link ConfigEditor} checks the result
 * parses to the patched tree and rewrites the file from the tree when it does not.
 */
final class JsoncEdit {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_YAML_COMMENTS)
            .build();

    /** One member of an object: where its key starts and where its value starts and ends (exclusive). */
    private record Member(int keyStart, int valueStart, int valueEnd, boolean isObject) {}

    /** One object: its braces and its members in order. */
    private record Span(int open, int close, List<Member> members) {}

    /** Every object reachable through object members, by key path (the root is the empty path). */
    private record Outline(Map<List<String>, Span> objects, Map<List<String>, Member> members) {}

    private JsoncEdit() {}

    /** {@code text} (empty: a new file) with {@code patch} applied. */
    static String apply(String text, ObjectNode patch) {
        String out = text.isBlank() ? "{\n}\n" : text;
        return patchObject(out, List.of(), patch);
    }

    /** A fresh rendering of {@code root}, for a new file or when an edit cannot be trusted. */
    static String render(ObjectNode root) {
        return render(root, "", "  ", "\n") + "\n";
    }

    private static String patchObject(String text, List<String> path, ObjectNode patch) {
        String out = text;
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            List<String> child = new ArrayList<>(path);
            child.add(e.getKey());
            Outline outline = outline(out);
            Optional<Member> existing = Optional.ofNullable(outline.members().get(child));
            JsonNode value = e.getValue();
            if (value.isNull()) {
                if (existing.isPresent()) out = remove(out, outline.objects().get(path), existing.get());
            } else if (value instanceof ObjectNode object && existing.isPresent() && existing.get().isObject()) {
                out = patchObject(out, child, object);
            } else if (existing.isPresent()) {
                out = replace(out, existing.get(), MergePatch.withoutNulls(value));
            } else {
                out = insert(out, outline.objects().get(path), e.getKey(), MergePatch.withoutNulls(value));
            }
        }
        return out;
    }

    private static String replace(String text, Member m, JsonNode value) {
        // a member sharing its line with what comes before it lives in a one-line object: keep the value on the line
        boolean sharesLine = !text.substring(lineStart(text, m.keyStart()), m.keyStart()).isBlank();
        String rendered = sharesLine ? compact(value) : render(value, indentOf(text, m.keyStart()), unit(text), newline(text));
        return text.substring(0, m.valueStart()) + rendered + text.substring(m.valueEnd());
    }

    private static String insert(String text, Span object, String key, JsonNode value) {
        String nl = newline(text);
        String unit = unit(text);
        boolean inline = !text.substring(object.open(), object.close()).contains("\n");
        if (object.members().isEmpty()) {
            String childIndent = indentOf(text, object.open()) + unit;
            String member = quote(key) + ": " + render(value, childIndent, unit, nl);
            String inner = text.substring(object.open() + 1, object.close());
            if (inner.isBlank()) {
                return text.substring(0, object.open() + 1) + nl + childIndent + member + nl + indentOf(text, object.open()) + text.substring(object.close());
            }
            int lineStart = lineStart(text, object.close());
            if (text.substring(lineStart, object.close()).isBlank()) {
                return text.substring(0, lineStart) + childIndent + member + nl + text.substring(lineStart);
            }
            return text.substring(0, object.close()) + nl + childIndent + member + nl + indentOf(text, object.open()) + text.substring(object.close());
        }
        Member last = object.members().getLast();
        String childIndent = indentOf(text, last.keyStart());
        String member = quote(key) + ": " + (inline ? compact(value) : render(value, childIndent, unit, nl));
        int next = significant(text, last.valueEnd());
        boolean comma = next < text.length() && text.charAt(next) == ',';
        if (inline) {
            return comma ? text.substring(0, next + 1) + " " + member + text.substring(next + 1)
                    : text.substring(0, last.valueEnd()) + ", " + member + text.substring(last.valueEnd());
        }
        String out = comma ? text : text.substring(0, last.valueEnd()) + "," + text.substring(last.valueEnd());
        int afterComma = comma ? next + 1 : last.valueEnd() + 1;
        // after the comma's line comment, if any: that comment belongs to the member before
        int at = skipSpaces(out, afterComma);
        if (out.startsWith("//", at) || out.startsWith("#", at)) {
            at = endOfLine(out, at);
        } else if (at >= out.length() || out.charAt(at) != '\n' && out.charAt(at) != '\r') {
            at = afterComma;
        }
        return out.substring(0, at) + nl + childIndent + member + out.substring(at);
    }

    private static String remove(String text, Span object, Member m) {
        int index = object.members().indexOf(m);
        int next = significant(text, m.valueEnd());
        boolean comma = next < text.length() && text.charAt(next) == ',';
        int start = m.keyStart();
        int end = comma ? next + 1 : m.valueEnd();
        end = skipSpaces(text, end);
        if (text.startsWith("//", end) || text.startsWith("#", end)) end = endOfLine(text, end);
        int lineStart = lineStart(text, start);
        boolean ownLine = text.substring(lineStart, start).isBlank() && (end >= text.length() || text.charAt(end) == '\n' || text.charAt(end) == '\r');
        if (ownLine) {
            start = lineStart;
            if (end < text.length() && text.charAt(end) == '\r') end++;
            if (end < text.length() && text.charAt(end) == '\n') end++;
        }
        String out = text.substring(0, start) + text.substring(end);
        if (!comma && index > 0) {
            // the last member went: the one before it must not keep a comma (a trailing comma is allowed, but not the user's style)
            Member before = object.members().get(index - 1);
            int c = significant(out, before.valueEnd());
            if (c < out.length() && out.charAt(c) == ',') out = out.substring(0, c) + out.substring(c + 1);
        }
        return out;
    }

    private static Outline outline(String text) {
        Map<List<String>, Span> objects = new HashMap<>();
        Map<List<String>, Member> members = new HashMap<>();
        try (JsonParser p = MAPPER.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
            readObject(p, List.of(), objects, members);
        }
        return new Outline(objects, members);
    }

    private static void readObject(JsonParser p, List<String> path, Map<List<String>, Span> objects, Map<List<String>, Member> members) {
        int open = (int) p.currentTokenLocation().getCharOffset();
        List<Member> inOrder = new ArrayList<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            int keyStart = (int) p.currentTokenLocation().getCharOffset();
            List<String> child = new ArrayList<>(path);
            child.add(p.currentName());
            JsonToken token = p.nextToken();
            int valueStart = (int) p.currentTokenLocation().getCharOffset();
            if (token == JsonToken.START_OBJECT) {
                readObject(p, List.copyOf(child), objects, members);
            } else if (token == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (token == JsonToken.VALUE_STRING) {
                p.getString();  // strings are read lazily: finish it so the location is past its closing quote
            }
            var member = new Member(keyStart, valueStart, (int) p.currentLocation().getCharOffset(), token == JsonToken.START_OBJECT);
            // a repeated key: the last one counts, as when the file is read
            Member earlier = members.put(List.copyOf(child), member);
            if (earlier != null) inOrder.remove(earlier);
            inOrder.add(member);
        }
        objects.put(path, new Span(open, (int) p.currentTokenLocation().getCharOffset(), inOrder));
    }

    /** Where the next token starts after {@code from}, skipping white space and comments. */
    private static int significant(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i) || c == '#') {
                i = endOfLine(text, i);
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
        return i;
    }

    /** The index of the line break ending the line of {@code from} ({@code \r} of a CRLF), or the end of the text. */
    private static int endOfLine(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') i++;
        return i;
    }

    private static int lineStart(String text, int at) {
        return text.lastIndexOf('\n', at - 1) + 1;
    }

    private static String indentOf(String text, int at) {
        int start = lineStart(text, at);
        int i = skipSpaces(text, start);
        return text.substring(start, Math.min(i, at));
    }

    /** The file's indentation unit: a tab when lines are indented with tabs, else two spaces. */
    private static String unit(String text) {
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("\t")) return "\t";
            if (line.startsWith(" ")) {
                int n = line.length() - line.stripLeading().length();
                return n >= 2 && n <= 8 ? " ".repeat(Math.min(n, 4)) : "  ";
            }
        }
        return "  ";
    }

    private static String newline(String text) {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    private static String render(JsonNode value, String indent, String unit, String nl) {
        if (value instanceof ObjectNode object) {
            if (object.isEmpty()) return "{}";
            var sb = new StringBuilder("{").append(nl);
            var it = object.properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                sb.append(indent).append(unit).append(quote(e.getKey())).append(": ").append(render(e.getValue(), indent + unit, unit, nl));
                sb.append(it.hasNext() ? "," : "").append(nl);
            }
            return sb.append(indent).append('}').toString();
        }
        if (value instanceof ArrayNode array) {
            boolean flat = array.valueStream().noneMatch(JsonNode::isContainer);
            if (array.isEmpty() || flat) {
                List<String> items = array.valueStream().map(MAPPER::writeValueAsString).toList();
                return "[" + String.join(", ", items) + "]";
            }
            var sb = new StringBuilder("[").append(nl);
            for (int i = 0; i < array.size(); i++) {
                sb.append(indent).append(unit).append(render(array.get(i), indent + unit, unit, nl)).append(i + 1 < array.size() ? "," : "").append(nl);
            }
            return sb.append(indent).append(']').toString();
        }
        return MAPPER.writeValueAsString(value);
    }

    /** One line, spaced as people write it: {@code {"a": 1, "b": [true]}}. */
    private static String compact(JsonNode value) {
        if (value instanceof ObjectNode object) {
            List<String> members = object.properties().stream().map(e -> quote(e.getKey()) + ": " + compact(e.getValue())).toList();
            return "{" + String.join(", ", members) + "}";
        }
        if (value instanceof ArrayNode array) return "[" + String.join(", ", array.valueStream().map(JsoncEdit::compact).toList()) + "]";
        return MAPPER.writeValueAsString(value);
    }

    private static String quote(String key) {
        return MAPPER.writeValueAsString(JsonNodeFactory.instance.stringNode(key));
    }
}
