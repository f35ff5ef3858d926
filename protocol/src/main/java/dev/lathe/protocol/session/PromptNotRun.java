package dev.lathe.protocol.session;

import java.util.List;

/**
 * The mark on a prompt the server accepted but never ran: a turn before it was aborted while it waited in the queue.
 * The prompt stays in the transcript (issue 53: an accepted prompt must never vanish), with one synthetic text part
 * holding {@link #TEXT}; the turn loop does not answer it and the model never reads it. Clients show it as not run.
 */
public final class PromptNotRun {
    /** The marking part's text, also what a client shows beside the prompt. */
    public static final String TEXT = "Not run: the session was stopped before it reached this prompt.";

    private PromptNotRun() {}

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }
}
