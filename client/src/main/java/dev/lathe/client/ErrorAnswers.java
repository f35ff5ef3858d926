package dev.lathe.client;

import dev.lathe.protocol.api.ErrorBody;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.wire.WireJson;

/**
 * Error answers back into {@link LatheException} cases: the reverse of the server's status mapping, keeping the
 * server's code and message byte for byte, so a caller handles a refusal over HTTP exactly as one in process. A
 * status the server never gives a core refusal (a proxy's 502, the transport's 415 or 421) falls into the nearest
 * case by class: another 4xx is the request's fault ({@code InvalidInput}), another 5xx the server's
 * ({@code Unavailable} for 502 and 504, else {@code Failed}).
 */
final class ErrorAnswers {
    private ErrorAnswers() {}

    /** The server's {@code {error:{code,message}}}, or a generic error naming the status when the body is not one. */
    static LatheException of(int status, String body) {
        try {
            ErrorBody error = WireJson.read(body, ErrorBody.class);
            if (error.error() != null && error.error().code() != null && error.error().message() != null) {
                return of(status, error.error().code(), error.error().message());
            }
        } catch (IllegalArgumentException e) {
            // not an error body: fall through
        }
        String snippet = body.strip();
        if (snippet.length() > 200) snippet = snippet.substring(0, 200) + "...";
        return of(status, "http_" + status, "HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet));
    }

    static LatheException of(int status, String code, String message) {
        return switch (status) {
            case 400 -> new LatheException.InvalidInput(code, message);
            case 401 -> new LatheException.Unauthorized(code, message);
            case 403 -> new LatheException.Forbidden(code, message);
            case 404 -> new LatheException.NotFound(code, message);
            case 409 -> new LatheException.Conflict(code, message);
            case 413 -> new LatheException.TooLarge(code, message);
            // both configuration and a custom command's failed shell line answer 422: the code tells them apart
            case 422 -> code.equals("command_failed") ? new LatheException.CommandFailed(code, message) : new LatheException.InvalidConfig(code, message);
            case 500 -> new LatheException.Failed(code, message);
            case 502, 503, 504 -> new LatheException.Unavailable(code, message);
            default -> status >= 400 && status < 500 ? new LatheException.InvalidInput(code, message) : new LatheException.Failed(code, message);
        };
    }
}
