package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The team server's accounts and the owners of sessions (DESIGN §20 "Users"). A token is kept only as the row's lookup
 * id, salt and hash ({@link Account}); checking one is the caller's ({@code server}'s {@code UserTokens}).
 */
public interface AccountStore {
    /** One account: {@code tokenId} finds the row from a presented token, {@code salt} and {@code hash} check its secret. */
    record Account(String name, boolean admin, String tokenId, String salt, String hash, long createdAt) {
        /** Leaves the token's parts out: an account printed in a log or an error shows who, not how to be them. */
        @Override public String toString() {
            return "Account[name=" + name + ", admin=" + admin + ", createdAt=" + createdAt + "]";
        }
    }

    /** Adds {@code account}; false when the name is taken (nothing changes). */
    boolean add(Account account);

    /** Removes the account of {@code name}; false when there is none. Its sessions keep their owner's name. */
    boolean remove(String name);

    /** Replaces the token of {@code name} (the old one stops working at once); false when there is no such account. */
    boolean replaceToken(String name, String tokenId, String salt, String hash);

    Optional<Account> byTokenId(String tokenId);

    Optional<Account> byName(String name);

    /** Every account, by name. */
    List<Account> list();

    /** Records who created {@code session}; a second call for the same session changes nothing. */
    void own(SessionId session, String owner);

    /** The owner recorded for {@code session} itself (not its parent's). */
    Optional<String> ownerOf(SessionId session);

    /** Every recorded owner, by session id. */
    Map<SessionId, String> owners();
}
