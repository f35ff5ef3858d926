package dev.lathe.protocol.session;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /** What {@link #text} wrote, read back: the task's id, its status and the child's answer as it was. */
    public record Read(String id, String status, String answer) {}

    private static final Pattern SHAPE = Pattern.compile("\\A<task-result id=\"([A-Za-z0-9_]{1,64})\" status=\"([a-z]{1,20})\">\\n(.*)\\n</task-result>\\z", Pattern.DOTALL);

    /** {@code text} read as {@link #text} writes it; empty for anything of another shape (a prompt, say). */
    public static Optional<Read> read(String text) {
        var m = SHAPE.matcher(text);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new Read(m.group(1), m.group(2), m.group(3).replace("&lt;/task-result", "</task-result")));
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
