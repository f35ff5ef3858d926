package dev.lathe.server.http;

import dev.lathe.protocol.session.Session;
import dev.lathe.server.users.Users;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records who made a session (the caller of the route that created, forked or imported it) and tells the owners to
 * the board. Only on a team server: without accounts there is one user and nothing is recorded.
 */
final class SessionOwners {
    private final Optional<Users> users;

    SessionOwners(Optional<Users> users) {
        this.users = users;
    }

    /** {@code made} belongs to the caller of {@code c}; returns it for the route to answer. */
    Session own(Call c, Session made) {
        users.ifPresent(u -> u.own(made.id(), c.caller()));
        return made;
    }

    /** Every recorded owner by session id (empty without accounts). */
    Map<String, String> all() {
        var out = new TreeMap<String, String>();
        users.ifPresent(u -> u.owners().forEach((id, owner) -> out.put(id.value(), owner)));
        return out;
    }
}
