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

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern STATUS = Pattern.compile("[a-z]{1,20}");

    /** {@code text} read as {@link #text} writes it; empty for anything of another shape (a prompt, say). */
    public static Optional<Read> read(String text) {
        return Wrapper.TASK_RESULT.unwrap(text).filter(u -> ID.matcher(u.values().get(0)).matches() && STATUS.matcher(u.values().get(1)).matches())
                .map(u -> new Read(u.values().get(0), u.values().get(1), u.body()));
    }

    /**
     * The message's text: {@code <task-result id="ID" status="STATUS">}, the child's answer, the closing tag. The answer
     * is escaped by {@link Wrapper}: a child steered by what it read can neither end the result early nor forge another
     * task's result, a teammate's message or any other wrapper after it.
     */
    public static String text(String id, String status, String answer) {
        return Wrapper.TASK_RESULT.wrap(answer.strip(), id, status);
    }
}
