package dev.lathe.protocol.api;

import dev.lathe.protocol.event.PermissionReply;
import java.util.Optional;

/** Body of {@code POST /permissions/{id}}; {@code message} is told to the model on reject. */
public record PermissionReplyRequest(PermissionReply reply, Optional<String> message) {
    public static PermissionReplyRequest of(PermissionReply reply) { return new PermissionReplyRequest(reply, Optional.empty()); }
}
