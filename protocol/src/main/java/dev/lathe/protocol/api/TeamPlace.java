package dev.lathe.protocol.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a session of the board ({@code GET /board}) stands in an agent team (DESIGN §18 "Agent teams"): the team's
 * {@code id} and {@code name}, the session's {@code member} name (absent for the team's lead) and how many
 * {@code members} the team has.
 */
public record TeamPlace(String id, String name, Optional<String> member, int members) {
    public TeamPlace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        member = member == null ? Optional.empty() : member;
    }

    /** Whether the session leads the team. */
    public boolean lead() { return member.isEmpty(); }
}
