package dev.lathe.protocol.api;

import dev.lathe.protocol.event.PermissionReply;
import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /permissions/{id}}; {@code message} is told to the model on reject (and the turn goes on with
 * it); {@code always}, with an {@code always} reply, the rules to remember instead of the ask's suggestions — the user
 * edited them (absent: the ask's own). {@code by} is set by the server, never taken from a client: on a team server the
 * user who answered, for the audit log (DESIGN §20).
 */
public record PermissionReplyRequest(PermissionReply reply, Optional<String> message, Optional<List<String>> always, Optional<String> by) {
    public PermissionReplyRequest {
        message = message == null ? Optional.empty() : message;
        always = always == null ? Optional.empty() : always.map(List::copyOf);
        by = by == null ? Optional.empty() : by;
    }

    public PermissionReplyRequest(PermissionReply reply, Optional<String> message, Optional<List<String>> always) {
        this(reply, message, always, Optional.empty());
    }

    /** This reply as given by {@code user} (empty: no named user, a server without accounts). */
    public PermissionReplyRequest answeredBy(Optional<String> user) {
        return new PermissionReplyRequest(reply, message, always, user);
    }

    public PermissionReplyRequest(PermissionReply reply, Optional<String> message) {
        this(reply, message, Optional.empty());
    }

    public static PermissionReplyRequest of(PermissionReply reply) { return new PermissionReplyRequest(reply, Optional.empty()); }

    /** "Always", remembering {@code rules} (the ask's suggestions as the user edited them). */
    public static PermissionReplyRequest always(List<String> rules) {
        return new PermissionReplyRequest(PermissionReply.ALWAYS, Optional.empty(), Optional.of(rules));
    }
}
