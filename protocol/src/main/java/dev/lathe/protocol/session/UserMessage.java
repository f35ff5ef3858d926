package dev.lathe.protocol.session;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;

/** What the user (or a client acting for them) sent. */
public record UserMessage(MessageId id, SessionId sessionId, long createdAt, String agent, String model) implements Message {}
