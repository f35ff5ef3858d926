package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;

/** One message of a session; its parts are stored and sent separately (see {@code MessageWithParts}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "role")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UserMessage.class, name = "user"),
        @JsonSubTypes.Type(value = AssistantMessage.class, name = "assistant")})
public sealed interface Message permits UserMessage, AssistantMessage {
    MessageId id();

    SessionId sessionId();

    long createdAt();

    String agent();

    String model();
}
