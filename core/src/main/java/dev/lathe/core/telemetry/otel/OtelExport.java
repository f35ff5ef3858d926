package dev.lathe.core.telemetry.otel;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK, started by its autoconfiguration over the properties {@code TelemetrySwitch} chose (so every
 * {@code OTEL_*} variable the SDK knows applies), its spans batched and its metrics read periodically on the SDK's own
 * threads, sent with the JDK's HTTP client ({@code opentelemetry-exporter-sender-jdk}: OTLP over HTTP with protobuf).
 * A collector that refuses, fails or hangs costs a turn nothing: exports happen off the turn's thread, and the first
 * failed one is said once, in one line of the log ({@link Reporter}); the SDK's own log lines are silenced, so a dead
 * collector never floods a terminal. Closing waits at most {@link #SHUTDOWN_MILLIS} for the last export.
 */
public final class OtelExport implements EventSink {
    private static final System.Logger LOG = System.getLogger(OtelExport.class.getName());
    /** The longest closing waits for the collector to take the last spans and metrics. */
    static final long SHUTDOWN_MILLIS = 2_000;
    /** Held so the level set on it is not lost when the JDK collects an unreferenced logger. */
    private static final Logger SDK_LOG = Logger.getLogger("io.opentelemetry");

    private final OpenTelemetrySdk sdk;
    private final GenAiSpans spans;
    private final Reporter reporter;

    private OtelExport(OpenTelemetrySdk sdk, GenAiSpans spans, Reporter reporter) {
        this.sdk = sdk;
        this.spans = spans;
        this.reporter = reporter;
    }

    /**
     * The SDK started over {@code properties} ({@code otel.*}), sending to {@code endpoint} (as shown in the one line
     * about a collector that cannot be reached), with the session's words only when {@code content}.
     *
     * @throws RuntimeException when the SDK cannot be configured (a protocol it cannot send, a malformed value)
     */
    public static EventSink start(Map<String, String> properties, String endpoint, boolean content, Function<SessionId, Optional<Session>> sessions) {
        SDK_LOG.setLevel(Level.OFF);
        var reporter = new Reporter(endpoint);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                // Lathe closes it, with a bounded wait: the SDK's own hook would wait for a hanging collector at exit
                .disableShutdownHook()
                .addSpanExporterCustomizer((exporter, config) -> new ReportedSpans(exporter, reporter))
                .addMetricExporterCustomizer((exporter, config) -> new ReportedMetrics(exporter, reporter))
                .build()
                .getOpenTelemetrySdk();
        LOG.log(System.Logger.Level.INFO, "telemetry: on, OTLP to " + endpoint + (content ? ", with content" : ""));
        return new OtelExport(sdk, new GenAiSpans(sdk, content, sessions), reporter);
    }

    @Override
    public void accept(long epochNanos, Event event) {
        spans.accept(epochNanos, event);
    }

    @Override
    public void decided(String permission, String decision, String by) {
        spans.decided(permission, decision, by);
    }

    @Override
    public void close() {
        spans.endAll(System.currentTimeMillis() * 1_000_000L);
        // on a thread of its own: the metric reader's shutdown blocks while its last export hangs
        var sent = new AtomicBoolean();
        Thread shutdown = Thread.ofPlatform().daemon().name("lathe-telemetry-shutdown")
                .start(() -> sent.set(sdk.shutdown().join(SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS).isDone()));
        try {
            shutdown.join(SHUTDOWN_MILLIS + 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sent.get()) reporter.failed("it did not take the last spans and metrics within " + SHUTDOWN_MILLIS + " ms");
    }

    /** Says once, in one line, that the collector could not be reached: the first failure of any export. */
    static final class Reporter {
        private final String endpoint;
        private final AtomicBoolean told = new AtomicBoolean();

        Reporter(String endpoint) {
            this.endpoint = endpoint;
        }

        void watch(CompletableResultCode result) {
            result.whenComplete(() -> {
                if (!result.isSuccess()) failed(reason(result.getFailureThrowable()));
            });
        }

        void failed(String reason) {
            if (told.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "telemetry: cannot send to the OTLP collector at " + printable(endpoint) + ": " + printable(reason)
                        + " (said once; spans and metrics are dropped while it does not answer, turns go on)");
            }
        }

        private static String reason(Throwable failure) {
            if (failure == null) return "the export failed";
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            String message = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
            return message.lines().findFirst().orElse(message);
        }

        /** One line with no control characters: the text may come from the collector's answer. */
        private static String printable(String text) {
            String line = text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            return line.length() > 300 ? line.substring(0, 300) + "…" : line;
        }
    }

    private record ReportedSpans(SpanExporter exporter, Reporter reporter) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            CompletableResultCode result = exporter.export(spans);
            reporter.watch(result);
            return result;
        }

        @Override public CompletableResultCode flush() { return exporter.flush(); }

        @Override public CompletableResultCode shutdown() { return exporter.shutdown(); }
    }

    private record ReportedMetrics(MetricExporter exporter, Reporter reporter) implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            CompletableResultCode result = exporter.export(metrics);
            reporter.watch(result);
            return result;
        }

        @Override public CompletableResultCode flush() { return exporter.flush(); }

        @Override public CompletableResultCode shutdown() { return exporter.shutdown(); }

        @Override public AggregationTemporality getAggregationTemporality(InstrumentType type) { return exporter.getAggregationTemporality(type); }

        @Override public Aggregation getDefaultAggregation(InstrumentType type) { return exporter.getDefaultAggregation(type); }

        @Override public MemoryMode getMemoryMode() { return exporter.getMemoryMode(); }
    }
}
