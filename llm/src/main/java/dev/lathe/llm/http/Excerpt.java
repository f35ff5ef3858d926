package dev.lathe.llm.http;

/**
 * A short, single-line quote of what a provider sent, for an error message: control characters and line breaks become
 * spaces, runs of blanks one, and the text is cut at {@link #MAX} characters. Credentials are taken out later with
 * the rest of the message ({@link Redaction}).
 */
final class Excerpt {
    static final int MAX = 200;

    private Excerpt() {}

    static String of(String text) {
        var out = new StringBuilder();
        boolean blank = false;
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (!blank && !out.isEmpty()) out.append(' ');
                blank = true;
            } else {
                out.append(c);
                blank = false;
            }
        }
        String s = out.toString().strip();
        return s.length() < text.strip().length() && s.length() >= MAX ? s + "…" : s;
    }
}
