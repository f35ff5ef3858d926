package dev.lathe.server.users;

/**
 * Who a request comes from: an account of the team server ({@code account}), or the node's local admin (the holder of
 * its {@code server.json} token, and the only user of a server without {@code --store}). {@code tokenId} is the lookup
 * id of the account's token the request proved (empty for the local admin): what a web login made from it is bound to,
 * so a new token ends that login too.
 */
public record User(String name, boolean admin, boolean account, String tokenId) {
    /** An account of the team server, as its token {@code tokenId} proved it. */
    public static User account(String name, boolean admin, String tokenId) {
        return new User(name, admin, true, tokenId);
    }

    /** The name the local admin is known by on node {@code nodeId}; no account can take it ({@link UserName} has no '@'). */
    public static User localAdmin(String nodeId) {
        return new User("admin@" + (nodeId.isEmpty() ? "local" : nodeId), true, false, "");
    }
}
