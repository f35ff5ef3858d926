package dev.lathe.protocol.session;

import java.util.List;

/**
 * The mark on a session's first prompt when its client cannot answer the {@code question} tool ({@code lathe run},
 * which declines every question; decision 494): one synthetic text part holding {@link #TEXT}, set by the server. The
 * model reads it (so it decides rather than asks), and the request builder reads it in the session's first message
 * only: such a session is never offered {@code question}, decided before its first request, so its prefix never
 * changes for it, whichever client sends the later prompts.
 */
public final class HeadlessPrompt {
    /** The marking part's text. */
    public static final String TEXT = "This session was started non-interactively: nobody can answer questions. Where a choice is the user's, "
            + "take the reasonable reading, say which, and go on.";

    private HeadlessPrompt() {}

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }
}
