package dev.lathe.tools.builtin;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The {@code timeout} a model gave {@code bash}, made usable instead of refused: a value that is not a number keeps the
 * default, one above the maximum is the maximum, zero or negative is the minimum, a fraction is rounded. What was
 * changed is said in {@code note}, for the result, so the model learns the rule.
 */
record BashTimeout(int millis, String note) {
    static final int DEFAULT_MS = 120_000;
    static final int MAX_MS = 600_000;
    /** What a zero or negative timeout becomes: long enough to start a process and print, short enough to notice. */
    static final int MIN_MS = 1_000;

    static BashTimeout of(Optional<String> given) {
        if (given.isEmpty() || given.get().isBlank()) return new BashTimeout(DEFAULT_MS, "");
        String raw = given.get().strip();
        BigDecimal value;
        try {
            value = new BigDecimal(raw);
        } catch (NumberFormatException e) {
            return new BashTimeout(DEFAULT_MS, "timeout " + quoted(raw) + " is not a number of milliseconds; used the default, " + DEFAULT_MS + " ms");
        }
        if (value.signum() <= 0) return new BashTimeout(MIN_MS, "timeout " + quoted(raw) + " is not positive; used the minimum, " + MIN_MS + " ms");
        if (value.compareTo(BigDecimal.valueOf(MAX_MS)) > 0) {
            return new BashTimeout(MAX_MS, "timeout " + quoted(raw) + " is above the maximum; used the maximum, " + MAX_MS + " ms");
        }
        int ms = Math.max(1, value.setScale(0, java.math.RoundingMode.HALF_UP).intValueExact());
        return new BashTimeout(ms, "");
    }

    private static String quoted(String raw) {
        return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    }
}
