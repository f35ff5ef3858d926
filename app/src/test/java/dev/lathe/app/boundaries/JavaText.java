package dev.lathe.app.boundaries;

/**
 * Java source with its comments and its string, character and text-block literals blanked out (every character but
 * line breaks becomes a space), so what is left is code and line numbers still match the file. A name in a Javadoc
 * {@code {@link}} or in a string is not a dependency; one in code is, however it is written.
 */
final class JavaText {
    private JavaText() {}

    private enum State { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR, TEXT_BLOCK }

    static String codeOnly(String source) {
        return kept(source, false);
    }

    /**
     * The other half: only the contents of string and text-block literals are kept (as written, escapes included), code
     * and comments blanked. Text a program builds is here, whatever a comment says about it.
     */
    static String literalsOnly(String source) {
        return kept(source, true);
    }

    private static String kept(String source, boolean literals) {
        var out = new StringBuilder(source.length());
        State state = State.CODE;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            char next = i + 1 < source.length() ? source.charAt(i + 1) : '\0';
            switch (state) {
                case CODE -> {
                    if (c == '/' && next == '/') { state = State.LINE_COMMENT; blank(out, 2); i += 2; continue; }
                    if (c == '/' && next == '*') { state = State.BLOCK_COMMENT; blank(out, 2); i += 2; continue; }
                    if (source.startsWith("\"\"\"", i)) { state = State.TEXT_BLOCK; blank(out, 3); i += 3; continue; }
                    if (c == '"') { state = State.STRING; out.append(' '); i++; continue; }
                    if (c == '\'') { state = State.CHAR; out.append(' '); i++; continue; }
                    if (literals) keepBreak(out, c);
                    else out.append(c);
                    i++;
                }
                case LINE_COMMENT -> {
                    if (c == '\n') state = State.CODE;
                    keepBreak(out, c);
                    i++;
                }
                case BLOCK_COMMENT -> {
                    if (c == '*' && next == '/') { state = State.CODE; blank(out, 2); i += 2; continue; }
                    keepBreak(out, c);
                    i++;
                }
                case STRING, CHAR -> {
                    boolean text = literals && state == State.STRING;
                    if (c == '\\') { literal(out, c, text); literal(out, next, text); i += 2; continue; }
                    if (c == (state == State.STRING ? '"' : '\'') || c == '\n') { state = State.CODE; keepBreak(out, c); i++; continue; }
                    literal(out, c, text);
                    i++;
                }
                case TEXT_BLOCK -> {
                    if (c == '\\') { literal(out, c, literals); literal(out, next, literals); i += 2; continue; }
                    if (source.startsWith("\"\"\"", i)) { state = State.CODE; blank(out, 3); i += 3; continue; }
                    literal(out, c, literals);
                    i++;
                }
            }
        }
        return out.toString();
    }

    private static void blank(StringBuilder out, int n) {
        out.repeat(' ', n);
    }

    private static void literal(StringBuilder out, char c, boolean kept) {
        if (kept && c != '\n' && c != '\r') out.append(c);
        else keepBreak(out, c);
    }

    private static void keepBreak(StringBuilder out, char c) {
        out.append(c == '\n' || c == '\r' ? c : ' ');
    }
}
