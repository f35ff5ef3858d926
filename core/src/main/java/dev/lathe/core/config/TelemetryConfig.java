package dev.lathe.core.config;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code telemetry} (DESIGN §18 "Integrations (§29)"): {@code otlp} the OTLP/HTTP collector's base URL (as
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, which wins over it), {@code content} whether prompts, answers, tool arguments and
 * results go out with the spans (never provider keys or tokens). Read from the user's own layers only: a project's
 * {@code telemetry} would send its sessions to a collector of its choosing ({@code ConfigLoader} drops it).
 */
public record TelemetryConfig(Optional<String> otlp, boolean content) {
    public static final TelemetryConfig NONE = new TelemetryConfig(Optional.empty(), false);

    /** The validated {@code telemetry} object ({@code ConfigSchema}); missing: {@link #NONE}. */
    static TelemetryConfig of(JsonNode node) {
        if (!node.isObject()) return NONE;
        Optional<String> otlp = node.path("otlp").isString() ? Optional.of(node.path("otlp").asString()) : Optional.empty();
        return new TelemetryConfig(otlp, node.path("content").asBoolean(false));
    }
}
