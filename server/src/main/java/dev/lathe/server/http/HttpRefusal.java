package dev.lathe.server.http;

/**
 * A refusal that exists only because the request came over HTTP and that no {@code LatheApi} caller could cause in
 * process: a foreign {@code Host} (421), a body that is not JSON (415), too many event streams for one token (429). Everything the core refuses is a
 * {@link dev.lathe.protocol.api.LatheException} instead, mapped to a status by {@link ErrorStatus}.
 */
final class HttpRefusal extends RuntimeException {
    private final int status;
    private final String code;

    private HttpRefusal(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static HttpRefusal misdirected(String message) { return new HttpRefusal(421, "misdirected_request", message); }

    static HttpRefusal tooManyRequests(String message) { return new HttpRefusal(429, "too_many_requests", message); }

    static HttpRefusal unsupportedMediaType(String message) { return new HttpRefusal(415, "unsupported_media_type", message); }

    int status() { return status; }

    String code() { return code; }
}
