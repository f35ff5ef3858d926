package dev.lathe.llm.gemini;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.http.ErrorClassifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Google API error, {@code google.rpc.Status} as JSON: {@code {"error":{"code","message","status","details":[..]}}}
 * (endpoints answering without {@code alt=sse} may wrap it in a one-element array). The details say more than the
 * status: {@code RetryInfo.retryDelay} is when a rate limit lifts, a {@code QuotaFailure} on a per-day quota means
 * waiting will not help within the turn (so it is not retried, like other providers' exhausted quota), and an
 * {@code ErrorInfo} reason {@code API_KEY_INVALID} is a bad key although Google answers it with 400.
 */
final class RpcStatus {
    private RpcStatus() {}

    static LlmError error(JsonNode body, int status) {
        JsonNode e = (body.isArray() ? body.path(0) : body).path("error");
        String canonical = e.path("status").asString("");
        int code = status > 0 ? status : e.path("code").isIntegralNumber() ? e.path("code").asInt() : httpStatus(canonical);
        String message = e.isString() ? e.asString() : e.path("message").asString("");
        String type = canonical;
        String quota = "";
        Optional<Duration> retryDelay = Optional.empty();
        for (JsonNode d : e.path("details")) {
            String detail = d.path("@type").asString("");
            if (detail.endsWith("google.rpc.RetryInfo")) retryDelay = duration(d.path("retryDelay").asString(""));
            if (detail.endsWith("google.rpc.ErrorInfo") && d.path("reason").asString("").startsWith("API_KEY_")) type = "authentication_error";
            if (detail.endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode v : d.path("violations")) if (v.path("quotaId").asString("").contains("PerDay")) quota = "insufficient_quota";
            }
        }
        LlmError error = ErrorClassifier.classify(new ErrorClassifier.Failure(code, type, quota, message), Map.of());
        return withRetryDelay(error, retryDelay);
    }

    private static LlmError withRetryDelay(LlmError error, Optional<Duration> delay) {
        if (delay.isEmpty()) return error;
        return switch (error) {
            case LlmError.RateLimited r -> new LlmError.RateLimited(delay, r.message());
            case LlmError.Overloaded o -> new LlmError.Overloaded(delay, o.message());
            default -> error;
        };
    }

    /** A protobuf {@code Duration} in JSON: decimal seconds with an {@code s} suffix ({@code "34.4s"}). */
    static Optional<Duration> duration(String text) {
        if (!text.endsWith("s")) return Optional.empty();
        try {
            BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1).strip());
            if (seconds.signum() < 0) return Optional.empty();
            return Optional.of(Duration.ofMillis(seconds.movePointRight(3).longValue()));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The HTTP status Google maps each canonical code to, for errors that arrive inside a stream without one. */
    private static int httpStatus(String canonical) {
        return switch (canonical) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ABORTED", "ALREADY_EXISTS" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }
}
