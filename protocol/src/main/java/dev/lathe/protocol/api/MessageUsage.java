package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Usage;

/** Tokens and cost (micro-dollars) of one assistant message. */
public record MessageUsage(MessageId messageId, String model, Usage usage, long cost) {}
