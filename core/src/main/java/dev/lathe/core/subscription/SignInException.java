package dev.lathe.core.subscription;

/**
 * A sign-in or a token renewal failed; the message says which step and why, for the user, and never holds a token.
 * {@link Refused}: the server said no for good (the sign-in was revoked, {@code invalid_grant}, no subscription): the
 * user must sign in again, and retrying would not help. {@link Blocked}: Lathe's own network policy refused the
 * connection, which retrying would not change either.
 */
public class SignInException extends Exception {
    public SignInException(String message) {
        super(message);
    }

    public SignInException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The credential is no longer accepted. */
    public static final class Refused extends SignInException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Local-only mode refused to connect to a server the sign-in (or the renewal) needs: nothing was sent, the sign-in
     * stays as it is, and no retry changes the answer (only the config's {@code provider.NAME.oauth} does).
     */
    public static final class Blocked extends SignInException {
        public Blocked(String message) {
            super(message);
        }
    }

    /** The browser's redirect cannot be received here: its loopback port is held by another program (or sign-in). */
    public static final class PortBusy extends SignInException {
        public PortBusy(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
