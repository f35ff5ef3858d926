package dev.lathe.term;

import dev.lathe.protocol.session.Usage;
import java.util.Locale;

/** What a cost reads as, the same in every text client: the TUI's footer, {@code lathe run}'s summary, the GitHub app's comments, {@code lathe stats}. */
public final class Money {
    /** What the cost shows for a model whose price Lathe does not know: its tokens were counted, its cost was not. */
    public static final String PRICE_UNKNOWN = "price unknown";

    /** What the cost shows for a priced model's tokens that came with {@code lathe import}: another harness billed them. */
    public static final String NOT_BILLED = "imported (not billed by Lathe)";

    private Money() {}

    /**
     * The cost of {@code usage}: in dollars, or {@link #PRICE_UNKNOWN} when tokens were used and nothing was charged —
     * no catalog or config price for the model, rather than a free answer.
     */
    public static String cost(long micros, Usage usage) {
        return micros == 0 && usage.total() > 0 ? PRICE_UNKNOWN : dollars(micros);
    }

    /** As {@link #cost(long, Usage)}, given the tokens used ({@link #PRICE_UNKNOWN} rather than "$0.0000", issue 71). */
    public static String cost(long micros, long tokens) {
        return micros == 0 && tokens > 0 ? PRICE_UNKNOWN : dollars(micros);
    }

    /**
     * A session's cost: as {@link #cost(long, Usage)}, but for a session {@code lathe import} made ({@code imported}) its
     * tokens were billed by the other harness: {@link #NOT_BILLED}, after what Lathe billed since when it did.
     */
    public static String cost(long micros, Usage usage, boolean imported) {
        if (!imported) return cost(micros, usage);
        return micros == 0 ? NOT_BILLED : dollars(micros) + " + " + NOT_BILLED;
    }

    /**
     * "$0.0123" below a dollar, "$12.34" from one, and nothing spent as "$0.00" (not "$0.0000", which reads as a
     * measured amount, issue 82): the one rule of every client (the web UI's board, `lathe stats`).
     */
    public static String dollars(long micros) {
        if (micros == 0) return "$0.00";
        return String.format(Locale.ROOT, micros < 1_000_000 ? "$%.4f" : "$%.2f", micros / 1e6);
    }
}
