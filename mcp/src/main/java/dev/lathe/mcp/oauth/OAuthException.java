package dev.lathe.mcp.oauth;

/**
 * An OAuth step failed in a way the user must hear about: discovery found no authorization server, the issuer did
 * not match, the redirect's {@code state} was wrong, the token endpoint refused. The message names the step and never
 * contains a token or a secret.
 */
public class OAuthException extends Exception {
    public OAuthException(String message) {
        super(message);
    }

    public OAuthException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The caller's network policy (local-only mode) refused a request before it was sent; the message names the mode
     * and the host. Not a refused token: a stored sign-in is kept.
     */
    public static final class Blocked extends OAuthException {
        public Blocked(String message) {
            super(message);
        }
    }
}
