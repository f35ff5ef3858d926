package dev.lathe.jsonrpc;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC error: thrown by a handler to answer a request with it, and what a request's future fails with when the
 * peer answered with an error or the connection ended first ({@link #CONNECTION_CLOSED}).
 */
public final class JsonRpcError extends Exception {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Not in the JSON-RPC table (its server-error range): the connection ended before the answer came. */
    public static final int CONNECTION_CLOSED = -32000;
    /** LSP's and ACP's code for a request given up by the end that sent it. */
    public static final int REQUEST_CANCELLED = -32800;

    private final int code;
    private final transient Optional<JsonNode> data;

    public JsonRpcError(int code, String message, Optional<JsonNode> data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public JsonRpcError(int code, String message) { this(code, message, Optional.empty()); }

    public int code() { return code; }

    public Optional<JsonNode> data() { return data; }

    public static JsonRpcError methodNotFound(String method) { return new JsonRpcError(METHOD_NOT_FOUND, "method not found: " + method); }

    public static JsonRpcError invalidParams(String message) { return new JsonRpcError(INVALID_PARAMS, message); }

    public static JsonRpcError internal(String message) { return new JsonRpcError(INTERNAL_ERROR, message); }

    @Override
    public String toString() { return "JSON-RPC error " + code + ": " + getMessage(); }
}
