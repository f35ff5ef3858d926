package dev.lathe.server.users;

/**
 * Who a request comes from: an account of the team server ({@code account}), or the node's local admin (the holder of
 * its {@code server.json} token, and the only user of a server without {@code --store}).
 */
public record User(String name, boolean admin, boolean account) {
    /** An account of the team server. */
    public static User account(String name, boolean admin) {
        return new User(name, admin, true);
    }

    /** The name the local admin is known by on node {@code nodeId}; no account can take it ({@link UserName} has no '@'). */
    public static User localAdmin(String nodeId) {
        return new User("admin@" + (nodeId.isEmpty() ? "local" : nodeId), true, false);
    }
}
