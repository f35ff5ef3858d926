package dev.lathe.tui;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of one Java source file as {@link UiShapeTest} measures it, read from its text with comments and literals
 * blanked out (so a word in a string or a comment never counts): the interfaces a class implements, the constructor
 * calls handed {@code this}, and the parameters of each constructor (a record's components included). A small scanner
 * rather than a parser: the three figures need only balanced brackets, and the tests below it show where it fails.
 */
record SourceShape(String code) {
    private static final Pattern TYPE = Pattern.compile("\\b(class|record|enum|interface)\\s+([A-Z]\\w*)");
    private static final Pattern NEW = Pattern.compile("\\bnew\\s+([A-Z][\\w.]*)\\s*(<[^;{}()]*?>)?\\s*\\(");
    private static final Pattern CALL = Pattern.compile("(?<![\\w.@])([A-Z]\\w*)\\s*\\(");
    private static final Pattern BARE_THIS = Pattern.compile("\\bthis\\b(?!\\s*\\.)");

    /** A constructor (or a record's header) and how many parameters it takes. */
    record Constructor(String type, int parameters) {}

    static SourceShape of(String source) { return new SourceShape(blanked(source)); }

    /** The types {@code type} names after {@code implements}, in order; none when it implements nothing. */
    List<String> implemented(String type) {
        Matcher m = Pattern.compile("\\b(class|record|enum)\\s+" + type + "\\b").matcher(code);
        if (!m.find()) throw new IllegalArgumentException("no class " + type);
        int open = code.indexOf('{', m.end());
        String header = code.substring(m.end(), open);
        int at = header.indexOf("implements");
        if (at < 0) return List.of();
        return topLevel(header.substring(at + "implements".length())).stream().map(String::strip).toList();
    }

    /** The constructor calls whose arguments hand over the object being built or running ({@code new X(this)}, {@code this::m}). */
    List<String> constructorCallsGivenThis() {
        var found = new ArrayList<String>();
        Matcher m = NEW.matcher(code);
        while (m.find()) {
            int close = closing(m.end() - 1);
            String arguments = code.substring(m.end(), close);
            if (BARE_THIS.matcher(arguments).find()) found.add("new " + m.group(1) + "(" + arguments.replaceAll("\\s+", " ").strip() + ")");
        }
        return found;
    }

    /** Every constructor declared here (of any type in the file, nested ones too), with its parameter count. */
    List<Constructor> constructors() {
        Set<String> types = new LinkedHashSet<>();
        var out = new ArrayList<Constructor>();
        Matcher t = TYPE.matcher(code);
        while (t.find()) {
            types.add(t.group(2));
            if (!t.group(1).equals("record")) continue;
            int paren = code.indexOf('(', t.end());
            int brace = code.indexOf('{', t.end());
            if (paren >= 0 && (brace < 0 || paren < brace)) out.add(new Constructor(t.group(2), count(code.substring(paren + 1, closing(paren)))));
        }
        Matcher c = CALL.matcher(code);
        while (c.find()) {
            if (!types.contains(c.group(1)) || precededByNew(c.start()) || precededByTypeKeyword(c.start())) continue;
            int close = closing(c.end() - 1);
            if (declarationBody(close)) out.add(new Constructor(c.group(1), count(code.substring(c.end(), close))));
        }
        return out;
    }

    private boolean precededByNew(int at) { return code.substring(Math.max(0, at - 12), at).matches("(?s).*\\bnew\\s*$"); }

    private boolean precededByTypeKeyword(int at) { return code.substring(Math.max(0, at - 12), at).matches("(?s).*\\b(record|class|enum|interface)\\s*$"); }

    /** After a parameter list: a body ({@code {}}, maybe after {@code throws}), so it was a declaration, not a call. */
    private boolean declarationBody(int close) {
        Matcher after = Pattern.compile("\\s*(throws\\s+[\\w.,\\s]+)?\\{").matcher(code);
        after.region(close + 1, code.length());
        return after.lookingAt();
    }

    /** The index of the bracket closing the one at {@code open}. */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '(') depth++;
            else if (ch == ')' && --depth == 0) return i;
        }
        throw new IllegalStateException("unbalanced brackets after " + open);
    }

    private static int count(String parameters) { return parameters.isBlank() ? 0 : topLevel(parameters).size(); }

    /** {@code text} split at its commas outside brackets and type arguments. */
    private static List<String> topLevel(String text) {
        var parts = new ArrayList<String>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '(' || ch == '<' || ch == '[' || ch == '{') depth++;
            else if (ch == ')' || ch == '>' || ch == ']' || ch == '}') depth--;
            else if (ch == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The source with comments, strings, text blocks and characters replaced by spaces (lines and offsets kept). */
    static String blanked(String source) {
        var out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            Optional<Integer> end = literalEnd(source, i);
            if (end.isEmpty()) {
                out.append(source.charAt(i++));
                continue;
            }
            for (int j = i; j < end.get(); j++) out.append(source.charAt(j) == '\n' ? '\n' : ' ');
            i = end.get();
        }
        return out.toString();
    }

    /** Where the comment or literal starting at {@code i} ends; empty when none starts there. */
    private static Optional<Integer> literalEnd(String s, int i) {
        if (s.startsWith("//", i)) {
            int nl = s.indexOf('\n', i);
            return Optional.of(nl < 0 ? s.length() : nl);
        }
        if (s.startsWith("/*", i)) return Optional.of(s.indexOf("*/", i + 2) + 2);
        if (s.startsWith("\"\"\"", i)) return Optional.of(s.indexOf("\"\"\"", i + 3) + 3);
        char ch = s.charAt(i);
        if (ch != '"' && ch != '\'') return Optional.empty();
        int j = i + 1;
        while (s.charAt(j) != ch) j += s.charAt(j) == '\\' ? 2 : 1;
        return Optional.of(j + 1);
    }
}
