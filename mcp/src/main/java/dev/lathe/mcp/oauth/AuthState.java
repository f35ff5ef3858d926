package dev.lathe.mcp.oauth;

/**
 * Where a remote server's authorization stands, as the connection needs it: send this header; the user must sign in
 * ({@code needs_auth} in {@code lathe mcp list}); or a transient failure (the authorization server unreachable) to
 * retry with the connection's backoff.
 */
public sealed interface AuthState {
    /** Send {@code Authorization: <header>} with every request to the server. */
    record Authorized(String header) implements AuthState {
        @Override
        public String toString() {
            return "Authorized[<redacted>]";
        }
    }

    /** No usable token: the user must run {@code lathe mcp auth NAME} (or the UI's equivalent). */
    record NeedsAuth(String reason) implements AuthState {}

    /** Could not get or refresh a token right now; the stored tokens are kept. */
    record Failed(String reason) implements AuthState {}
}
