package dev.lathe.core.telemetry.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * The metrics (DESIGN §29): the GenAI semantic conventions' {@code gen_ai.client.token.usage} (per request, by token
 * type) and {@code gen_ai.client.operation.duration} (per request and per turn), and Lathe's own {@code lathe.cost}
 * (US dollars), {@code lathe.tool.duration} (per tool call, by tool and outcome) and {@code lathe.permission.decisions}
 * (every rule decision and answer to an ask, by permission and who decided: {@code rule}, {@code client},
 * {@code allow-all}, {@code hook}, {@code unattended}).
 */
final class GenAiMetrics {
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> PERMISSION = AttributeKey.stringKey("lathe.permission");
    static final AttributeKey<String> DECISION = AttributeKey.stringKey("lathe.permission.decision");
    static final AttributeKey<String> BY = AttributeKey.stringKey("lathe.permission.by");

    private final LongHistogram tokens;
    private final DoubleHistogram duration;
    private final DoubleCounter cost;
    private final DoubleHistogram toolDuration;
    private final LongCounter permissions;

    GenAiMetrics(Meter meter) {
        tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Tokens used per model request, by gen_ai.token.type (input, output)").build();
        duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("Duration of model requests (chat) and agent turns (invoke_agent)").build();
        cost = meter.counterBuilder("lathe.cost").ofDoubles().setUnit("USD").setDescription("What model requests cost, from the catalog's prices").build();
        toolDuration = meter.histogramBuilder("lathe.tool.duration").setUnit("s").setDescription("Duration of tool calls, by tool and outcome").build();
        permissions = meter.counterBuilder("lathe.permission.decisions").setUnit("{decision}")
                .setDescription("Permission decisions: the rules' (allow, ask, deny) and the answers to asks (once, always, reject), by permission and who decided")
                .build();
    }

    /** One model request's usage and cost, with the request's attributes. */
    void request(Attributes request, long input, long output, long costMicros, double seconds) {
        tokens.record(input, request.toBuilder().put(TOKEN_TYPE, "input").build());
        tokens.record(output, request.toBuilder().put(TOKEN_TYPE, "output").build());
        duration.record(seconds, request);
        if (costMicros > 0) cost.add(costMicros / 1_000_000.0, request);
    }

    void turn(Attributes turn, double seconds) {
        duration.record(seconds, turn);
    }

    void tool(Attributes call, double seconds) {
        toolDuration.record(seconds, call);
    }

    void permission(String permission, String decision, String by) {
        permissions.add(1, Attributes.of(PERMISSION, permission, DECISION, decision, BY, by));
    }
}
