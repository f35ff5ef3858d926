package dev.lathe.core.telemetry;

import java.util.Locale;
import java.util.Map;

/**
 * Writes Prometheus's text exposition format 0.0.4 (a {@code # HELP} and {@code # TYPE} line per family, then its
 * samples). Label values are escaped as the format says (backslash, double quote, line feed), so a value can never end
 * a line or start a sample of its own.
 */
final class PrometheusText {
    private final StringBuilder out = new StringBuilder();

    PrometheusText gauge(String name, String help, double value) {
        head(name, help, "gauge");
        return sample(name, "", value);
    }

    PrometheusText counter(String name, String help, double value) {
        head(name, help, "counter");
        return sample(name, "", value);
    }

    /** A counter family with one label: a sample per value (none yet: the family's head alone). */
    PrometheusText counter(String name, String help, String label, Map<String, Long> values) {
        head(name, help, "counter");
        values.forEach((v, n) -> sample(name, "{" + label + "=\"" + escape(v) + "\"}", n));
        return this;
    }

    PrometheusText histogram(String name, String help, LatencyHistogram.Snapshot h) {
        head(name, help, "histogram");
        for (int i = 0; i < LatencyHistogram.BOUNDS.size(); i++) {
            sample(name + "_bucket", "{le=\"" + number(LatencyHistogram.BOUNDS.get(i)) + "\"}", h.cumulative()[i]);
        }
        sample(name + "_bucket", "{le=\"+Inf\"}", h.count());
        sample(name + "_sum", "", h.sum());
        return sample(name + "_count", "", h.count());
    }

    @Override public String toString() { return out.toString(); }

    private void head(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private PrometheusText sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
        return this;
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
