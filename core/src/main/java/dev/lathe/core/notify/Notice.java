package dev.lathe.core.notify;

import dev.lathe.protocol.wire.WireJson;

/**
 * What the user is told, as the webhook's body and the command's stdin: {@code {"event", "sessionId", "title",
 * "directory", "text"}} (DESIGN §18). {@code event} is {@code ask}, {@code done} or {@code failed}; {@code text} a
 * neutral description ({@code permission asked: bash}, {@code turn finished}, {@code turn failed: provider}) unless the
 * user's {@code notify.includeText} lets the session's own words out. The title and text are cut to a bounded length:
 * a notice is a nudge, never the session's content.
 */
public record Notice(String event, String sessionId, String title, String directory, String text) {
    /** The longest title a notice carries, in characters. */
    static final int MAX_TITLE = 200;
    /** The longest text a notice carries, in characters. */
    static final int MAX_TEXT = 1000;

    public Notice {
        title = cut(title, MAX_TITLE);
        text = cut(text, MAX_TEXT);
    }

    /** The JSON sent. */
    public String json() { return WireJson.write(this); }

    private static String cut(String s, int max) {
        if (s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }
}
