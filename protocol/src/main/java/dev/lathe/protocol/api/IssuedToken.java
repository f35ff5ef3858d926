package dev.lathe.protocol.api;

/**
 * Answer of {@code POST /users} and {@code POST /users/{name}/token}: the account's token, shown this once (the server
 * keeps only a hash of it).
 */
public record IssuedToken(String name, boolean admin, String token) {
    /** Hides the token. */
    @Override public String toString() { return "IssuedToken[name=" + name + ", admin=" + admin + ", token=<hidden>]"; }
}
