package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;

/** Answer of {@code POST /sessions/{id}/prompt} (202): the id of the stored user message. */
public record PromptAccepted(MessageId messageId) {}
