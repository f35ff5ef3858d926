package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import java.util.Optional;

/** Which events a subscription wants: one project folder and/or one session, or everything. */
public record EventFilter(Optional<String> directory, Optional<SessionId> session) {
    public static final EventFilter ALL = new EventFilter(Optional.empty(), Optional.empty());

    public static EventFilter session(SessionId id) { return new EventFilter(Optional.empty(), Optional.of(id)); }
}
