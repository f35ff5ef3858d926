package dev.lathe.protocol.session;

import java.util.Optional;

/**
 * How far a running call has got, as its tool reported it (an MCP server's {@code notifications/progress}):
 * {@code progress} rises with each report; {@code total} is the amount it counts towards, when the tool knows it;
 * {@code message} what it is doing now, when it said.
 */
public record CallProgress(double progress, Optional<Double> total, Optional<String> message) {
    public CallProgress {
        total = total == null ? Optional.empty() : total;
        message = message == null ? Optional.empty() : message;
    }

    /** One line a client shows: {@code 3/5 · Step 3 of 5}, {@code 40%}, or the bare count. */
    public String text() {
        String amount = total.filter(t -> t > 0)
                .map(t -> t == 100 ? number(progress) + "%" : number(progress) + "/" + number(t))
                .orElse(number(progress));
        return message.filter(m -> !m.isBlank()).map(m -> amount + " · " + m.strip()).orElse(amount);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
    }
}
