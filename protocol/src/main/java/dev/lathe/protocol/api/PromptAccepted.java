package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import java.util.Optional;

/**
 * Answer of {@code POST /sessions/{id}/prompt} (202): the id of the stored user message, and whether a turn of the
 * session was running when it was stored ({@code queued}), behind {@code behind} (the message that turn is writing now):
 * then a steered prompt is read by the running turn at its next step boundary, a queued one runs after that turn as a
 * turn of its own, and a turn that ended meanwhile starts a new one with it ({@link Delivery}).
 * {@code notice} is what the client tells the user once about the prompt: the model the session goes on with and why,
 * when its own could not be used here (an imported session recorded with a provider this user has no key for).
 */
public record PromptAccepted(MessageId messageId, boolean queued, Optional<MessageId> behind, Optional<String> notice) {
    /** A prompt that starts a turn of its own. */
    public PromptAccepted(MessageId messageId) {
        this(messageId, false, Optional.empty(), Optional.empty());
    }

    public PromptAccepted(MessageId messageId, boolean queued, Optional<MessageId> behind) {
        this(messageId, queued, behind, Optional.empty());
    }
}
