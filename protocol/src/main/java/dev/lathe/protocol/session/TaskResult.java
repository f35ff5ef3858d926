package dev.lathe.protocol.session;

import java.util.List;

/**
 * The mark on a user-role message a background subagent's end delivered to its parent (DESIGN §18 "Background
 * subagents"): the message's text starts with {@code <task-result id="TASK_ID" status="…">} and holds the child's final
 * answer; one synthetic text part holding {@link #TEXT} says that no one typed it. Clients show such a message as the
 * task's result, not as the user's prompt; the model reads the mark too, so it does not take the result for the user's
 * words.
 */
public final class TaskResult {
    /** The marking part's text, also what a client may show beside the message. */
    public static final String TEXT = "From a background task: its result, not typed by the user.";

    private TaskResult() {}

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }

    /**
     * The message's text: {@code <task-result id="ID" status="STATUS">}, the child's answer, the closing tag. A closing
     * tag inside the answer is escaped: a child steered by what it read cannot end the result early and write on as the
     * user.
     */
    public static String text(String id, String status, String answer) {
        return "<task-result id=\"" + id + "\" status=\"" + status + "\">\n" + answer.strip().replace("</task-result", "&lt;/task-result")
                + "\n</task-result>";
    }
}
