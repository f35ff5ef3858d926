package dev.lathe.tui.view;

import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.TaskResult;
import java.util.Optional;

/**
 * A user-role message no one typed, recognised by its text: a background task's result ({@code <task-result id="…"
 * status="…">}, {@link TaskResult}) or a teammate's message ({@code <message from="…">},
 * {@link AgentMessage}). The transcript shows it under a line that says where it came from,
 * not as the user's prompt with its tags. Only a whole message of that exact shape counts; anything else is a prompt.
 */
record DeliveredNote(String heading, String body) {
    /** The note {@code text} is, or empty when it is an ordinary prompt. */
    static Optional<DeliveredNote> of(String text) {
        return TaskResult.read(text).map(r -> new DeliveredNote("◆ background task " + r.id() + " " + r.status(), r.answer()))
                .or(() -> AgentMessage.read(text).map(m -> new DeliveredNote("✉ message from " + m.from(), m.body())));
    }
}
