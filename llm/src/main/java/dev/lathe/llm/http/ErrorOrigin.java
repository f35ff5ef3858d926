package dev.lathe.llm.http;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a failed request went, put in front of the error's message so that every provider error says which provider,
 * which host, the HTTP status and the provider's request id (issue 25): {@code openai at api.openai.com:443: HTTP 429
 * (request id req_123): Rate limit reached ...}. The request id is what a provider's support asks for; it comes from
 * the response headers ({@code request-id}, {@code x-request-id}, AWS's {@code x-amzn-requestid}, ...) or, failing
 * those, from a {@code request_id} in the body (Anthropic's error envelope).
 *
 * @param provider the provider's id, as in config ({@code anthropic}, {@code openai}, a custom id)
 * @param url      the URL the request was posted to
 */
record ErrorOrigin(String provider, URI url) {
    /** Response headers (lower case) that carry a provider's request id, most specific first. */
    static final List<String> REQUEST_ID_HEADERS = List.of("request-id", "x-request-id", "x-amzn-requestid", "x-amz-request-id",
            "apim-request-id", "x-goog-request-id", "cf-ray");
    private static final Pattern BODY_REQUEST_ID = Pattern.compile("\"request_?id\"\\s*:\\s*\"([^\"\\\\]{1,128})\"", Pattern.CASE_INSENSITIVE);

    /** {@code host:port}, the port filled in from the scheme when the URL has none. */
    String hostPort() { return Provider.hostPort(url); }

    /** {@code error}, from a response with {@code status}, said to come from here. */
    LlmError answered(LlmError error, int status, Map<String, String> headers, String body) {
        String id = requestId(headers, body).map(r -> " (request id " + r + ")").orElse("");
        return LlmError.reworded(error, provider + " at " + hostPort() + ": HTTP " + status + id + ": " + error.message());
    }

    /** A request that reached nobody: {@code cannot reach openai at api.openai.com:443: connection refused (URL)}. */
    LlmError unreachable(StreamOutcome.Unreachable u) {
        return new LlmError.Unreachable("cannot reach " + provider + " at " + hostPort() + ": " + u.message(), u.refusedLocalServer());
    }

    /** A certificate the JDK did not trust, said so, with what usually causes it on a machine that otherwise works. */
    LlmError untrusted(String detail) {
        return new LlmError.Untrusted("the TLS certificate of " + hostPort() + " (provider " + provider + ") is not trusted: " + detail
                + ". Not retried. If a proxy or a company certificate authority intercepts HTTPS on this network, add its certificate"
                + " to a trust store and start Lathe with JAVA_TOOL_OPTIONS=-Djavax.net.ssl.trustStore=<file>");
    }

    static Optional<String> requestId(Map<String, String> headers, String body) {
        for (String name : REQUEST_ID_HEADERS) {
            String v = headers.get(name);
            if (v != null && !v.isBlank()) return Optional.of(Excerpt.of(v));
        }
        Matcher m = BODY_REQUEST_ID.matcher(body);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
