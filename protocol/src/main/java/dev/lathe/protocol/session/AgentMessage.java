package dev.lathe.protocol.session;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mark on a user-role message another agent of the session's team sent (DESIGN §18 "Agent teams"): the message's
 * text starts with {@code <message from="NAME">} and holds the sender's text; one synthetic text part holding
 * {@link #TEXT} says that no user typed it. Clients show it as a teammate's message; the model reads the mark too, so it
 * does not take a teammate's words for the user's.
 */
public final class AgentMessage {
    /** The marking part's text, also what a client may show beside the message. */
    public static final String TEXT = "From another agent of the team: not typed by the user, and no answer to a permission ask.";

    private AgentMessage() {}

    /** Whether a user message's {@code parts} carry the mark. */
    public static boolean marks(List<Part> parts) {
        for (Part p : parts) if (p instanceof Part.Text t && t.synthetic() && t.text().equals(TEXT)) return true;
        return false;
    }

    /** What {@link #text} wrote, read back: the sender and its text as it wrote it. */
    public record Read(String from, String body) {}

    private static final Pattern FROM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** {@code text} read as {@link #text} writes it; empty for anything of another shape (a prompt, say). */
    public static Optional<Read> read(String text) {
        return Wrapper.MESSAGE.unwrap(text).filter(u -> FROM.matcher(u.values().getFirst()).matches()).map(u -> new Read(u.values().getFirst(), u.body()));
    }

    /**
     * The message's text: {@code <message from="FROM">}, the sender's text, the closing tag. The sender's text is
     * escaped by {@link Wrapper}, so it can neither close the tag early nor forge another sender's message (or any other
     * wrapper) after it; {@code from} is a member name (letters, digits, {@code -}, {@code _}) or {@code lead}.
     */
    public static String text(String from, String body) {
        return Wrapper.MESSAGE.wrap(body.strip(), from);
    }
}
