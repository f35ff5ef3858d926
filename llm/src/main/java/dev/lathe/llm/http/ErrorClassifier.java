package dev.lathe.llm.http;

import dev.lathe.llm.LlmError;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps a provider failure to an {@link LlmError} from what every protocol reports: the HTTP status, the error's
 * type/code and message, and {@code retry-after} / {@code retry-after-ms}. Context-length errors are recognised by
 * code first, then by the wording providers use.
 */
public final class ErrorClassifier {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorClassifier() {}

    /** A failure described by the parts the protocol extracted from its error body. */
    public record Failure(int status, String type, String code, String message) {}

    public static LlmError classify(Failure f, Map<String, String> headers) {
        String type = f.type().toLowerCase(Locale.ROOT);
        String code = f.code().toLowerCase(Locale.ROOT);
        String text = f.message().isBlank() ? "HTTP " + f.status() : f.message();
        if (isContextOverflow(code, text)) return new LlmError.ContextOverflow(text);
        if (code.contains("insufficient_quota") || type.contains("insufficient_quota") || code.contains("spend_limit")
                || type.equals("billing_error") || f.status() == 402) {
            return new LlmError.InvalidRequest(f.status(), "quota or billing: " + text);
        }
        if (f.status() == 429 || type.contains("rate_limit") || code.contains("rate_limit")) {
            return new LlmError.RateLimited(retryAfter(headers), text);
        }
        if (f.status() == 529 || f.status() == 503 || type.contains("overloaded")) return new LlmError.Overloaded(retryAfter(headers), text);
        if (f.status() == 401 || f.status() == 403 || type.contains("authentication") || type.contains("permission_error")) {
            return new LlmError.Unauthorized(text);
        }
        if (f.status() >= 400 && f.status() < 500) return new LlmError.InvalidRequest(f.status(), text);
        return new LlmError.Transport("provider error " + (f.status() > 0 ? "HTTP " + f.status() + ": " : "") + text);
    }

    static boolean isContextOverflow(String code, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return code.contains("context_length_exceeded") || m.contains("prompt is too long") || m.contains("maximum context length")
                || m.contains("context window") || m.contains("too many tokens") || m.contains("input is too long")
                || m.contains("exceeds the maximum number of tokens") || m.contains("context length");
    }

    /**
     * An HTTP error body read with the protocol's own parser ({@code parse(json, status)}); a body that is not JSON
     * (a proxy's HTML page, plain text) is classified by status and text. {@code retry-after} headers are applied.
     */
    public static LlmError fromBody(int status, String body, Map<String, String> headers, BiFunction<JsonNode, Integer, LlmError> parse) {
        LlmError e;
        try {
            e = parse.apply(JSON.readTree(body), status);
        } catch (JacksonException ex) {
            e = classify(new Failure(status, "", "", body.strip()), headers);
        }
        return withRetryAfter(e, headers);
    }

    /** The error with the response's {@code retry-after} headers applied, when they say more than the body did. */
    public static LlmError withRetryAfter(LlmError e, Map<String, String> headers) {
        return switch (e) {
            case LlmError.RateLimited r -> new LlmError.RateLimited(retryAfter(headers).or(r::retryAfter), r.message());
            case LlmError.Overloaded o -> new LlmError.Overloaded(retryAfter(headers).or(o::retryAfter), o.message());
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _, LlmError.Transport _, LlmError.Unreachable _, LlmError.Stalled _,
                    LlmError.Untrusted _ -> e;
        };
    }

    /** {@code retry-after-ms} (milliseconds) wins over {@code retry-after} (seconds or an HTTP date): see {@link RetryAfter}. */
    public static Optional<Duration> retryAfter(Map<String, String> headers) {
        return RetryAfter.of(headers, java.time.Instant.now());
    }
}
