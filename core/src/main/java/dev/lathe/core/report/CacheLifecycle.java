package dev.lathe.core.report;

import dev.lathe.llm.Pricing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What to do with a provider's prompt cache across a pause, chosen by price and TTL (DESIGN §28, decision 504): keep it
 * warm with minimal requests while a client watches, compact just before it expires when the context is large, write
 * the stable blocks with the one-hour TTL when sessions of the same prefix come back within the hour, or let it lapse.
 * Each option is priced for the pause to come, in micro-dollars, from the model's catalog prices; the cheapest wins and
 * its saving is what it costs less than letting the cache lapse. Pure: numbers in, a decision out.
 */
public final class CacheLifecycle {
    /** The pause an idle, watched session is planned for: a coffee break, longer than the five-minute TTL. */
    public static final Duration PLANNED_PAUSE = Duration.ofMinutes(10);
    /** A warm request goes this long before the cache would expire, so a slow answer still lands in time. */
    public static final Duration WARM_MARGIN = Duration.ofSeconds(30);
    /** Warm requests per pause at most, however cheap reads are: a user who left does not pay for an afternoon. */
    public static final int MAX_WARMS = 6;
    /** Below this context compacting saves too little to be worth the summary's detail lost. */
    public static final long COMPACT_MIN_TOKENS = 40_000;
    /** The summary a compaction writes, in tokens (what it pays as output and writes again as input). */
    public static final long SUMMARY_TOKENS = 2_000;
    /** Anthropic's longer TTL, and the write multiplier it costs (2 × input, its documentation). */
    public static final Duration LONG_TTL = Duration.ofHours(1);
    static final double LONG_WRITE = 2.0;

    private CacheLifecycle() {}

    /** {@code "cache": {"strategy": …}}: {@code auto} chooses; the others force one option where it applies. */
    public enum Strategy {
        AUTO, WARM, COMPACT, NONE;

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        public static Optional<Strategy> parse(String value) {
            for (Strategy s : values()) if (s.wire().equals(value)) return Optional.of(s);
            return Optional.empty();
        }
    }

    /** The options. */
    public enum Choice {
        KEEP_WARM("keep warm"), COMPACT("compact before expiry"), LONG_TTL("1-hour TTL on the stable blocks"), LAPSE("let it lapse");

        private final String label;

        Choice(String label) { this.label = label; }

        public String label() { return label; }

        public String wire() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    /**
     * A model's cache prices (USD per million tokens) and TTLs: {@code write} is the five-minute write (uncached input
     * when the provider bills no write), {@code longWrite} the one-hour write where the wire offers it.
     */
    public record Prices(double input, double output, double read, double write, Optional<Double> longWrite, Duration ttl) {
        /** From the catalog's prices; Anthropic Messages offers the one-hour TTL at twice the input price. */
        public static Prices of(Pricing p, String protocol) {
            double write = p.cacheWrite() > 0 ? p.cacheWrite() : p.input();
            Optional<Double> longWrite = protocol.equals("anthropic-messages") && p.input() > 0 ? Optional.of(p.input() * LONG_WRITE) : Optional.empty();
            return new Prices(p.input(), p.output(), p.cacheRead() > 0 ? p.cacheRead() : p.input(), write, longWrite, Duration.ofMinutes(5));
        }
    }

    /**
     * A session at the moment of choosing: {@code context} the tokens its cached prefix holds, {@code stable} those of
     * the blocks every session of its agent and project shares (system, tools, instructions), {@code watched} whether a
     * client is attached and its user active, {@code warmable} whether its last request can be repeated for a one-token
     * answer without changing the prefix (no extended thinking, whose budget follows the answer's length), and
     * {@code sinceLastSession} how long ago the previous session with the same stable blocks started, if one did.
     */
    public record Session(long context, long stable, boolean watched, boolean warmable, Optional<Duration> sinceLastSession) {}

    /** The choice, what it is expected to cost over the pause and save against letting the cache lapse (micro-dollars). */
    public record Decision(Choice choice, long cost, long saving, Duration pause) {
        /** "keep warm (saves ~$0.057 per 10-minute pause)", for the cost report and {@code lathe stats}. */
        public String describe() {
            if (saving <= 0) return choice.label();
            return String.format(Locale.ROOT, "%s (saves ~$%.3f per %d-minute pause)", choice.label(), saving / 1e6, pause.toMinutes());
        }
    }

    /** The cheapest option {@code strategy} allows for {@code session} on a model priced {@code prices}. */
    public static Decision choose(Strategy strategy, Prices prices, Session session) {
        // a watched session resumes its own context after the user's pause; an unwatched one is only resumed by the next
        // session of its prefix, which shares the stable blocks
        Optional<Duration> gap = session.watched() ? Optional.of(PLANNED_PAUSE) : session.sinceLastSession();
        long prefix = session.watched() ? session.context() : session.stable();
        Duration pause = gap.orElse(PLANNED_PAUSE);
        long lapse = gap.map(g -> lapse(prices, prefix, g)).orElse(0L);
        List<Decision> options = new ArrayList<>();
        options.add(new Decision(Choice.LAPSE, lapse, 0, pause));
        boolean warm = session.watched() && session.warmable() && (strategy == Strategy.AUTO || strategy == Strategy.WARM);
        boolean compact = session.watched() && session.context() >= COMPACT_MIN_TOKENS && (strategy == Strategy.AUTO || strategy == Strategy.COMPACT);
        boolean longTtl = strategy == Strategy.AUTO && prices.longWrite().isPresent() && gap.isPresent()
                && gap.get().compareTo(prices.ttl()) > 0 && gap.get().compareTo(LONG_TTL) <= 0;
        if (warm) options.add(option(Choice.KEEP_WARM, keepWarm(prices, prefix, pause), lapse, pause));
        if (compact) options.add(option(Choice.COMPACT, compact(prices, session), lapse, pause));
        if (longTtl) options.add(option(Choice.LONG_TTL, longTtl(prices, session.stable(), prefix), lapse, pause));
        if (strategy != Strategy.AUTO) {
            // a forced option wins wherever it applies, cheaper or not: the user chose it
            return options.getLast();
        }
        // cheapest first; on a tie the earlier option (lapse spends nothing ahead of time)
        return options.stream().min(Comparator.comparingLong(Decision::cost)).orElseThrow();
    }

    private static Decision option(Choice choice, long cost, long lapse, Duration pause) {
        return new Decision(choice, cost, lapse - cost, pause);
    }

    /** Resuming after {@code pause} with nothing done: read when the cache is still alive, written again when not. */
    static long lapse(Prices p, long prefix, Duration pause) {
        return micro(prefix, pause.compareTo(p.ttl()) <= 0 ? p.read() : p.write());
    }

    /** A warm request every TTL minus the margin while the pause lasts (at most {@link #MAX_WARMS}), then the resume. */
    static long keepWarm(Prices p, long prefix, Duration pause) {
        long interval = p.ttl().minus(WARM_MARGIN).toMillis();
        long needed = pause.toMillis() / interval;
        long warms = Math.min(needed, MAX_WARMS);
        long each = micro(prefix, p.read()) + micro(1, p.output());
        long resume = needed <= MAX_WARMS ? micro(prefix, p.read()) : micro(prefix, p.write());
        return warms * each + resume;
    }

    /** One summary request reading the whole context, its summary as output, then the stable blocks and summary written again. */
    static long compact(Prices p, Session s) {
        return micro(s.context(), p.read()) + micro(SUMMARY_TOKENS, p.output()) + micro(s.stable() + SUMMARY_TOKENS, p.write());
    }

    /** The stable blocks written at the one-hour price instead of the five-minute one, then read on return; the rest written again. */
    static long longTtl(Prices p, long stable, long prefix) {
        double longWrite = p.longWrite().orElseThrow();
        return micro(stable, longWrite - p.write()) + micro(stable, p.read()) + micro(prefix - stable, p.write());
    }

    /** tokens × USD per million tokens = micro-dollars. */
    private static long micro(long tokens, double usdPerMillion) {
        return Math.round(tokens * usdPerMillion);
    }
}
