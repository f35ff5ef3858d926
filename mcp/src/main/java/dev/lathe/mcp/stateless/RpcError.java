package dev.lathe.mcp.stateless;

/**
 * A server answered a request with a JSON-RPC error, or the exchange itself failed (an HTTP status, an unreadable
 * body). {@code code} is the JSON-RPC code when there was one; the message says what the server said.
 */
public final class RpcError extends RuntimeException {
    private final Integer code;
    private final int httpStatus;

    RpcError(String message, Integer code, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The JSON-RPC error code, null when the failure was not a JSON-RPC error. */
    public Integer code() { return code; }

    /** The HTTP status of the response, 0 when there was none. */
    public int httpStatus() { return httpStatus; }
}
