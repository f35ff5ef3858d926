package dev.lathe.server.users;

import dev.lathe.core.store.AccountStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts of a team server over the store's {@link AccountStore}: adding one mints its token (returned once,
 * stored only as {@link UserToken}'s hash), a presented token names its user, and each session records its owner.
 * Every check reads the database, so an account removed through any node is refused by every node at once.
 */
public final class Users {
    private final AccountStore store;
    private final Clock clock;

    public Users(AccountStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An account as listed: never its token. */
    public record Listed(String name, boolean admin, long createdAt) {}

    /** A new account or a new token for one: the token is in this answer and nowhere else. */
    public record Issued(String name, boolean admin, String token) {
        @Override public String toString() { return "Issued[name=" + name + ", admin=" + admin + "]"; }
    }

    /** @throws LatheException.Conflict when the name is taken; InvalidInput when it is not a {@link UserName} */
    public Issued add(String name, boolean admin) {
        UserName.check(name);
        var minted = UserToken.mint();
        if (!store.add(new AccountStore.Account(name, admin, minted.id(), minted.salt(), minted.hash(), clock.millis()))) {
            throw new LatheException.Conflict("a user named '" + name + "' exists already (lathe user token " + name + " gives it a new token)");
        }
        return new Issued(name, admin, minted.token());
    }

    /** @throws LatheException.NotFound when there is no such user */
    public void remove(String name) {
        if (!store.remove(name)) throw new LatheException.NotFound("no user named '" + name + "'");
    }

    /** A new token for {@code name}; the old one stops working at once. */
    public Issued rotate(String name) {
        var minted = UserToken.mint();
        if (!store.replaceToken(name, minted.id(), minted.salt(), minted.hash())) throw new LatheException.NotFound("no user named '" + name + "'");
        return new Issued(name, store.byName(name).map(AccountStore.Account::admin).orElse(false), minted.token());
    }

    public List<Listed> list() {
        return store.list().stream().map(a -> new Listed(a.name(), a.admin(), a.createdAt())).toList();
    }

    /** The user {@code token} belongs to, if it is a live account's. */
    public Optional<User> byToken(String token) {
        var presented = UserToken.parse(token);
        if (presented.isEmpty()) return Optional.empty();
        return store.byTokenId(presented.get().id())
                .filter(a -> UserToken.matches(presented.get().secret(), a.salt(), a.hash()))
                .map(a -> User.account(a.name(), a.admin(), a.tokenId()));
    }

    /**
     * The account named {@code name} as it is now, when its token is still the one of id {@code tokenId}: a web login or a
     * login code names the user and the token it was made with, and neither outlives that token (removed or replaced).
     */
    public Optional<User> byNameAndToken(String name, String tokenId) {
        return store.byName(name).filter(a -> MessageDigest.isEqual(a.tokenId().getBytes(StandardCharsets.US_ASCII), tokenId.getBytes(StandardCharsets.US_ASCII)))
                .map(a -> User.account(a.name(), a.admin(), a.tokenId()));
    }

    public void own(SessionId session, User owner) {
        store.own(session, owner.name());
    }

    public Optional<String> ownerOf(SessionId session) {
        return store.ownerOf(session);
    }

    public Map<SessionId, String> owners() {
        return store.owners();
    }
}
