package dev.lathe.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How far an "always" answer reaches: every session of the project, kept across restarts (a bash command prefix), or
 * only the session it was given in, for as long as the server runs (all edits of this session).
 */
public enum ApprovalScope {
    PROJECT, SESSION;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static ApprovalScope fromWire(String value) {
        for (var scope : values()) if (scope.wire().equals(value)) return scope;
        throw new IllegalArgumentException("scope must be project or session, not '" + value + "'");
    }
}
