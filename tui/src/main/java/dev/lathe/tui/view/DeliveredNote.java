package dev.lathe.tui.view;

import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.TaskResult;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user-role message no one typed, recognised by its text: a background task's result ({@code <task-result id="…"
 * status="…">}, {@link TaskResult}) or a teammate's message ({@code <message from="…">},
 * {@link AgentMessage}). The transcript shows it under a line that says where it came from,
 * not as the user's prompt with its tags. Only a whole message of that exact shape counts; anything else is a prompt.
 */
record DeliveredNote(String heading, String body) {
    private static final Pattern TASK_RESULT = Pattern.compile("\\A<task-result id=\"([A-Za-z0-9_]{1,64})\" status=\"([a-z]{1,20})\">\\n(.*)\\n</task-result>\\z", Pattern.DOTALL);
    private static final Pattern TEAM_MESSAGE = Pattern.compile("\\A<message from=\"([A-Za-z0-9_-]{1,64})\">\\n(.*)\\n</message>\\z", Pattern.DOTALL);

    /** The note {@code text} is, or empty when it is an ordinary prompt. */
    static Optional<DeliveredNote> of(String text) {
        var task = TASK_RESULT.matcher(text);
        if (task.matches()) {
            String answer = task.group(3).replace("&lt;/task-result", "</task-result");
            return Optional.of(new DeliveredNote("◆ background task " + task.group(1) + " " + task.group(2), answer));
        }
        var message = TEAM_MESSAGE.matcher(text);
        if (message.matches()) {
            // the sender's text was escaped so it could not close the tag: shown as it was written
            String said = message.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            return Optional.of(new DeliveredNote("✉ message from " + message.group(1), said));
        }
        return Optional.empty();
    }
}
