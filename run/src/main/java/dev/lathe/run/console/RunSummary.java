package dev.lathe.run.console;

import dev.lathe.protocol.event.RunResult;
import dev.lathe.term.Money;
import java.util.Locale;

/**
 * The one-line summary text mode prints on stderr of what one turn of {@code lathe run} came to ({@link RunResult}, built
 * by {@link TurnTally}).
 */
final class RunSummary {
    private RunSummary() {}

    /**
     * The line text mode ends with on stderr, e.g. {@code lathe: 4 steps, 12,345 tokens, $0.0123, 2.4 s, session ses_...}
     * (ASCII only: a script's stderr may not be UTF-8; {@code price unknown} in place of the cost for a model without a
     * price); the session is the one {@code --session} continues.
     */
    static String line(RunResult result) {
        String steps = result.steps() == 1 ? "1 step" : result.steps() + " steps";
        String tokens = String.format(Locale.ROOT, "%,d tokens", result.tokens().total());
        // tokens used and nothing charged is a model without a price, not a free answer: "$0.0000" said the latter
        String cost = Money.cost(result.cost(), result.tokens());
        String time = String.format(Locale.ROOT, "%.1f s", result.durationMs() / 1000.0);
        return "lathe: " + steps + ", " + tokens + ", " + cost + ", " + time + ", session " + result.sessionId().value();
    }
}
