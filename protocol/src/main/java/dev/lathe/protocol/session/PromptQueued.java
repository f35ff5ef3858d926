package dev.lathe.protocol.session;

import java.util.List;

/**
 * The mark on a prompt queued behind a running turn ({@code "delivery": "queue"}, DESIGN §18 "Steering"): one synthetic
 * text part holding {@link #TEXT}. While it carries the mark, the running turn neither shows it to the model nor answers
 * it; when that turn ends, the session's runner takes it up as a turn of its own (the mark removed, the message kept). Kept in the store, so a queued prompt survives a restart and waits on any node.
 */
public final class PromptQueued {
    /** The marking part's text, also what a client shows beside the prompt. */
    public static final String TEXT = "Queued: runs after the turn that was running when it was sent.";

    private PromptQueued() {}

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }
}
