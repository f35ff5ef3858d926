package dev.lathe.llm.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * Where each provider's object lies in a catalog document, found by a byte scan that matches braces and skips strings
 * without tokenising anything inside. Start-up only ever needs the one provider of the configured model (or none, for
 * a provider configured completely by hand), so the catalog parses that provider's slice when asked instead of all
 * 2.6 MB on every start (≈0.3 s of CPU on a cold JVM, competing with the first model request on two cores).
 */
final class CatalogIndex {
    /** A provider object: bytes {@code [start, end)} of the document, from its opening to its closing brace. */
    record Slice(int start, int end) {}

    private record Member(String name, int start, int end) {}

    private CatalogIndex() {}

    /**
     * The provider objects of the models.dev {@code api.json} shape, or of the bundled snapshot's {@code {providers: …}},
     * by id; members that are not objects are left out.
     *
     * @throws IllegalArgumentException when the document is not one well-formed JSON object
     */
    static Map<String, Slice> of(byte[] json) {
        int start = skipSpace(json, 0);
        if (start >= json.length || json[start] != '{') throw new IllegalArgumentException("not a models.dev catalog: not a JSON object");
        List<Member> members = members(json, start);
        if (skipSpace(json, endOfValue(json, start)) != json.length) throw malformed(json.length);
        Map<String, Slice> top = new TreeMap<>();
        for (Member m : members) {
            if (json[m.start()] != '{') continue;
            if (m.name().equals("providers")) return objects(members(json, m.start()), json);
            top.put(m.name(), new Slice(m.start(), m.end()));
        }
        return top;
    }

    private static Map<String, Slice> objects(List<Member> members, byte[] json) {
        Map<String, Slice> out = new TreeMap<>();
        for (Member m : members) if (json[m.start()] == '{') out.put(m.name(), new Slice(m.start(), m.end()));
        return out;
    }

    /** The members of the object whose opening brace is at {@code open}. */
    private static List<Member> members(byte[] json, int open) {
        List<Member> out = new ArrayList<>();
        int i = skipSpace(json, open + 1);
        if (at(json, i) == '}') return out;
        while (true) {
            if (at(json, i) != '"') throw malformed(i);
            int nameEnd = endOfString(json, i);
            String name = name(json, i, nameEnd);
            i = skipSpace(json, nameEnd);
            if (at(json, i) != ':') throw malformed(i);
            int valueStart = skipSpace(json, i + 1);
            int valueEnd = endOfValue(json, valueStart);
            out.add(new Member(name, valueStart, valueEnd));
            i = skipSpace(json, valueEnd);
            byte b = at(json, i);
            if (b == '}') return out;
            if (b != ',') throw malformed(i);
            i = skipSpace(json, i + 1);
        }
    }

    /** Just past the value starting at {@code i}. */
    private static int endOfValue(byte[] json, int i) {
        byte first = at(json, i);
        if (first == '"') return endOfString(json, i);
        if (first != '{' && first != '[') {
            int j = i;
            while (j < json.length && json[j] != ',' && json[j] != '}' && json[j] != ']' && !isSpace(json[j])) j++;
            if (j == i) throw malformed(i);
            return j;
        }
        int depth = 0;
        int j = i;
        while (j < json.length) {
            byte b = json[j];
            if (b == '"') {
                j = endOfString(json, j);
                continue;
            }
            if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (--depth == 0) return j + 1;
            }
            j++;
        }
        throw malformed(json.length);
    }

    /** Just past the closing quote of the string whose opening quote is at {@code i}. */
    private static int endOfString(byte[] json, int i) {
        int j = i + 1;
        while (j < json.length) {
            byte b = json[j];
            if (b == '\\') {
                j += 2;
            } else if (b == '"') {
                return j + 1;
            } else {
                j++;
            }
        }
        throw malformed(json.length);
    }

    private static String name(byte[] json, int start, int end) {
        for (int k = start + 1; k < end - 1; k++) {
            if (json[k] == '\\') {
                // rare (no catalog id has one): Jackson decodes the escapes, and is only set up then
                try {
                    return CatalogReader.string(json, start, end - start);
                } catch (JacksonException e) {
                    throw malformed(start);
                }
            }
        }
        return new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8);
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && isSpace(json[i])) i++;
        return i;
    }

    private static boolean isSpace(byte b) { return b == ' ' || b == '\n' || b == '\r' || b == '\t'; }

    private static byte at(byte[] json, int i) {
        if (i >= json.length) throw malformed(i);
        return json[i];
    }

    private static IllegalArgumentException malformed(int at) {
        return new IllegalArgumentException("not a models.dev catalog: malformed JSON at byte " + at);
    }
}
