package dev.lathe.client;

/**
 * The server could not be reached or the exchange broke (refused connection, timeout, interrupted call). A request
 * the server answered with an error is an {@link dev.lathe.protocol.api.LatheException} instead.
 */
public final class LatheClientException extends RuntimeException {
    public LatheClientException(String message, Throwable cause) {
        super(message, cause);
    }

    public LatheClientException(String message) {
        super(message);
    }
}
