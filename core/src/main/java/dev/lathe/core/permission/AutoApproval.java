package dev.lathe.core.permission;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Auto-approval (DESIGN §31): a classifier model answers, in place of a person, what the rules leave to ask, read only
 * from the user's, managed and command-line settings ({@code "permission": {"auto": {"model": "PROVIDER/MODEL",
 * "policy": "TEXT"?}}}; a project's files never set it). {@code start} says whether it is on from a session's start
 * ({@code "defaultMode": "auto"} in the same files) or only when a prompt asks for it ({@code --auto}, the terminal UI's
 * mode cycle, the web toggle).
 *
 * @param model  the classifier, {@code provider/model}, reached as any request is (the spend ledger admits it)
 * @param policy the user's own words added to {@link AutoPolicy#TEXT}, never replacing it
 * @param timeout how long one decision may take, retries included ({@code timeoutSeconds}; 20 s by default)
 */
public record AutoApproval(String model, Optional<String> policy, Start start, Duration timeout) {
    /** The key of {@code permission} that holds it. */
    public static final String KEY = "auto";
    /** How long one decision may take, retries included, before the call is refused as "classifier unavailable" (by default). */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Denials in a row after which the next ask goes to a person. */
    public static final int DENIALS_IN_A_ROW = 3;
    /** Denials in one session after which every ask goes to a person. */
    public static final int DENIALS_PER_SESSION = 20;

    public AutoApproval {
        policy = policy == null ? Optional.empty() : policy.map(String::strip).filter(p -> !p.isEmpty());
        timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? TIMEOUT : timeout;
    }

    public AutoApproval(String model, Optional<String> policy, Start start) {
        this(model, policy, start, TIMEOUT);
    }

    /** What is wrong with a written {@code permission.auto}: the key below it ({@code model}, ...) and why. */
    public record Problem(String key, String message) {}

    /** What is wrong with {@code written}, a {@code permission.auto} value as a file writes it; empty when nothing is. */
    public static Optional<Problem> problem(JsonNode written) {
        if (!written.isObject()) return Optional.of(new Problem("model", "expected {\"model\": \"provider/model\", \"policy\"?: \"...\"}"));
        for (String key : written.propertyNames()) {
            if (!Set.of("model", "policy", "timeoutSeconds").contains(key)) return Optional.of(new Problem(key, "not a setting of auto-approval"));
        }
        if (!written.path("model").isString() || !written.path("model").asString().contains("/")) {
            return Optional.of(new Problem("model", "expected the classifier as \"provider/model\""));
        }
        if (written.has("policy") && !written.path("policy").isString()) return Optional.of(new Problem("policy", "expected a string"));
        if (written.has("timeoutSeconds") && (!written.path("timeoutSeconds").isIntegralNumber() || written.path("timeoutSeconds").asInt() < 1)) {
            return Optional.of(new Problem("timeoutSeconds", "expected a whole number of seconds, at least 1"));
        }
        return Optional.empty();
    }

    /** When the classifier answers a session's asks. */
    public enum Start {
        /** From the start of every session ({@code "defaultMode": "auto"}). */
        ALWAYS,
        /** Only in a turn whose prompt asked for it. */
        WHEN_ASKED
    }
}
