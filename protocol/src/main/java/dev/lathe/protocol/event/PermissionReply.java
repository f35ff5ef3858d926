package dev.lathe.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An answer to a permission ask: allow this call, allow it and similar calls from now on, or reject it. */
public enum PermissionReply {
    ONCE, ALWAYS, REJECT;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static PermissionReply fromWire(String value) {
        for (var reply : values()) if (reply.wire().equals(value)) return reply;
        throw new IllegalArgumentException("reply must be once, always or reject, not '" + value + "'");
    }
}
