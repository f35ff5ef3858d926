package dev.lathe.core.telemetry;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.TelemetryConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that decides whether telemetry is on (managed settings force it here). On when the server's environment
 * names an OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or the traces' or metrics' own) or the user's own config
 * has {@code "telemetry": {"otlp": URL}}; off when {@code OTEL_SDK_DISABLED} is {@code true}, and otherwise. The
 * environment's {@code OTEL_*} variables become the SDK's properties as its autoconfiguration reads them (protocol,
 * headers, resource attributes, timeouts), over Lathe's defaults: service {@code lathe}, traces and metrics over OTLP, no
 * logs.
 */
public final class TelemetrySwitch {
    /** The variables that name a collector: any one turns telemetry on. */
    static final List<String> ENDPOINTS = List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");

    /** The variables that choose the OTLP protocol, the general one first. */
    static final List<String> PROTOCOLS = List.of("OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL");
    /**
     * The one protocol the SDK as Lathe carries it sends: grpc needs a sender Lathe does not carry (decision 510), and
     * the Java SDK's exporters have no JSON encoding for {@code http/json}.
     */
    static final String SENT = "http/protobuf";

    private TelemetrySwitch() {}

    /**
     * What the user must hear when Lathe starts, where they look (the terminal of {@code lathe run}, {@code lathe serve},
     * the terminal UI, and {@code lathe doctor}): the environment names a collector and a protocol Lathe does not send,
     * so telemetry stays off (issue 82: {@code http/json}, which the OTLP specification defines, was said only in the log).
     */
    public static Optional<String> notice(Map<String, String> env) {
        boolean named = ENDPOINTS.stream().map(env::get).anyMatch(v -> v != null && !v.isBlank());
        return named && !env.getOrDefault("OTEL_SDK_DISABLED", "").trim().equalsIgnoreCase("true") ? unsent(env) : Optional.empty();
    }

    /** Why the environment's protocol cannot be sent, when it names one other than {@link #SENT}. */
    static Optional<String> unsent(Map<String, String> env) {
        for (String name : PROTOCOLS) {
            String value = env.getOrDefault(name, "").trim();
            if (value.isEmpty() || value.equalsIgnoreCase(SENT)) continue;
            return Optional.of("telemetry is off: " + name + "=" + value + " is a protocol Lathe does not send (it sends " + SENT
                    + ", which an OpenTelemetry Collector takes on the same port 4318); set " + name + "=" + SENT);
        }
        return Optional.empty();
    }

    /** On or off, and how. */
    public sealed interface Choice {
        /** Telemetry is off: no OpenTelemetry class is loaded. */
        record Off() implements Choice {}

        /**
         * Telemetry is on: {@code properties} are the SDK's ({@code otel.*}), {@code endpoint} the collector as the
         * user wrote it (for the one line that says it cannot be reached), {@code content} whether the session's words
         * go out.
         */
        record On(Map<String, String> properties, String endpoint, boolean content) implements Choice {
            public On {
                properties = Map.copyOf(properties);
            }
        }
    }

    /**
     * @param userConfig the user's own layers (read once; a config that does not load names no collector: the server
     *     refuses to start on it anyway)
     * @param env the server's environment
     */
    public static Choice decide(Supplier<Config> userConfig, Map<String, String> env) {
        TelemetryConfig config;
        Optional<Boolean> forced;
        try {
            Config user = userConfig.get();
            config = user.telemetry();
            forced = user.managed().telemetry();
        } catch (RuntimeException e) {
            // the server reports a config that does not load on its own path; here it only names no collector
            config = TelemetryConfig.NONE;
            forced = Optional.empty();
        }
        // an administrator's managed "telemetry" (DESIGN §29) is over everything: false is off whatever names a collector,
        // true is on where one is named even when the user's environment says OTEL_SDK_DISABLED
        if (forced.equals(Optional.of(false))) return new Choice.Off();
        boolean forcedOn = forced.equals(Optional.of(true));
        if (!forcedOn && env.getOrDefault("OTEL_SDK_DISABLED", "").trim().equalsIgnoreCase("true")) return new Choice.Off();
        Optional<String> fromEnv = ENDPOINTS.stream().map(env::get).filter(v -> v != null && !v.isBlank()).findFirst();
        if (fromEnv.isEmpty() && config.otlp().isEmpty()) return new Choice.Off();
        Optional<String> unsent = unsent(env);
        if (unsent.isPresent()) {
            // said where the user looks at start too (notice); here for the log of a daemon nobody watches
            System.getLogger(TelemetrySwitch.class.getName()).log(System.Logger.Level.WARNING, unsent.get());
            return new Choice.Off();
        }
        Map<String, String> properties = new LinkedHashMap<>();
        // the service is lathe unless the environment names it (OTEL_SERVICE_NAME, or service.name in the resource's attributes)
        if (!env.containsKey("OTEL_SERVICE_NAME") && !env.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "").contains("service.name=")) {
            properties.put("otel.service.name", "lathe");
        }
        properties.put("otel.traces.exporter", "otlp");
        properties.put("otel.metrics.exporter", "otlp");
        properties.put("otel.logs.exporter", "none");
        // the Java SDK's own default is grpc, whose sender Lathe does not carry (decision 510)
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        config.otlp().ifPresent(url -> properties.put("otel.exporter.otlp.endpoint", url));
        // the environment over the config, as the SDK reads it: OTEL_EXPORTER_OTLP_HEADERS is otel.exporter.otlp.headers
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
        });
        if (forcedOn) properties.remove("otel.sdk.disabled");
        return new Choice.On(properties, fromEnv.or(config::otlp).orElseThrow(), config.content());
    }
}
