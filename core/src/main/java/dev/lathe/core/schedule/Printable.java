package dev.lathe.core.schedule;

/** What of a user's cron text an error quotes: short, and with no control character (it may reach a terminal). */
final class Printable {
    private static final int MAX = 80;

    private Printable() {}

    static String cut(String text) {
        var out = new StringBuilder(Math.min(text.length(), MAX) + 1);
        text.codePoints().limit(MAX).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > MAX) out.append('…');
        return out.toString();
    }
}
