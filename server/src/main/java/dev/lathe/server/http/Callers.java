package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.server.users.User;
import dev.lathe.server.users.Users;
import java.util.Optional;

/**
 * Names the user of a request from its credential. The node's own token ({@code server.json}) is its local admin; on a
 * team server ({@code users} present) an account's token is that account, looked up in the database on every request
 * so a removed account or a replaced token is refused at once on every node. A web login names the user it was made
 * for (none: the local admin's, as every login of a server without accounts).
 */
final class Callers {
    private static final String SCHEME = "Bearer ";

    private final String nodeToken;
    private final User localAdmin;
    private final Optional<Users> users;

    Callers(String nodeToken, User localAdmin, Optional<Users> users) {
        this.nodeToken = nodeToken;
        this.localAdmin = localAdmin;
        this.users = users;
    }

    Optional<Users> users() { return users; }

    User localAdmin() { return localAdmin; }

    /** @throws LatheException.Unauthorized unless the header carries the node's token or a live account's */
    User byHeader(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            throw new LatheException.Unauthorized("missing Authorization: Bearer <token> header (the token is in server.json"
                    + (users.isPresent() ? ", or a user's token from lathe user add" : "") + ")");
        }
        String header = authorization.get();
        if (BearerToken.matches(header, nodeToken)) return localAdmin;
        if (users.isPresent() && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            Optional<User> user = users.get().byToken(header.substring(SCHEME.length()).strip());
            if (user.isPresent()) return user.get();
        }
        throw new LatheException.Unauthorized("invalid token");
    }

    /**
     * What a web login or a login code made for {@code user} records of it: {@code name:tokenId} for an account (the token
     * it was made with, so a new token or a removed account ends it), {@code ""} for the local admin.
     */
    static String loginOwner(User user) {
        return user.account() ? user.name() + ":" + user.tokenId() : "";
    }

    /** Whether a login code or a web login recorded as {@code owner} still names a live credential. */
    boolean loginLive(String owner) {
        try {
            byLogin(owner);
            return true;
        } catch (LatheException.Unauthorized e) {
            return false;
        }
    }

    /** The user of a web login, from what {@link #loginOwner} recorded. */
    User byLogin(String owner) {
        if (owner.isEmpty()) return localAdmin;
        // an account's login kept from a team node later started without --store names nobody here
        if (users.isEmpty()) throw new LatheException.Unauthorized("this web login was made for a team server's account; run `lathe web` again");
        int colon = owner.indexOf(':');
        // a login saved before logins named their token: its token cannot be checked, so it is over
        if (colon < 0) throw new LatheException.Unauthorized("this web login is from an older version; run `lathe web` again");
        return users.get().byNameAndToken(owner.substring(0, colon), owner.substring(colon + 1)).orElseThrow(() -> new LatheException.Unauthorized(
                "this web login's account was removed or given a new token; run `lathe web` again"));
    }
}
