package dev.lathe.protocol.api;

/**
 * A request the API refused, with the HTTP status it maps to ({@code 400 bad_request}, {@code 404 not_found},
 * {@code 409 conflict}, ...). Thrown by the in-process API and rebuilt from error bodies by the HTTP client, so
 * callers handle both the same way.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) { return new ApiException(400, "bad_request", message); }

    public static ApiException notFound(String message) { return new ApiException(404, "not_found", message); }

    public static ApiException conflict(String message) { return new ApiException(409, "conflict", message); }

    public int status() { return status; }

    public String code() { return code; }
}
