package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answer of {@code GET /sessions/{id}/cache}: how much of each request's prompt the provider served from its cache, and,
 * where the cached prefix broke, which block of the prompt layout (DESIGN §7) changed first. Requests are the session's
 * steps in order; {@code hitRatio} is {@code cacheRead / (input + cacheRead + cacheWrite)}, 0 when a request reported no
 * usage (decisions §45). {@code lifecycle} is what Lathe would do with the cache across a pause of the session now,
 * chosen by the model's prices and TTL (DESIGN §28, decision 504); absent when the session has no model to price.
 */
public record CacheReport(SessionId sessionId, List<Request> requests, Totals totals, Optional<Lifecycle> lifecycle) {
    public CacheReport {
        requests = List.copyOf(requests);
    }

    public CacheReport(SessionId sessionId, List<Request> requests, Totals totals) {
        this(sessionId, requests, totals, Optional.empty());
    }

    /** This report with {@code lifecycle}. */
    public CacheReport with(Lifecycle lifecycle) {
        return new CacheReport(sessionId, requests, totals, Optional.of(lifecycle));
    }

    /**
     * The cache lifecycle's choice: {@code strategy} as configured ({@code cache.strategy}), {@code choice} one of
     * {@code keep-warm}, {@code compact}, {@code long-ttl}, {@code lapse}; {@code saving} what it is expected to save
     * against letting the cache lapse over a pause of {@code pauseMinutes} (micro-dollars); {@code summary} in words.
     */
    public record Lifecycle(String strategy, String choice, long saving, int pauseMinutes, String summary) {}

    /** What happened to the cached prefix at one request, compared with the session's request before it. */
    public enum Outcome {
        /** The session's first request: there is nothing to compare it with. */
        FIRST,
        /** It began with the whole previous request, and the provider served it from its cache (or it was too small to cache). */
        KEPT,
        /** A block changed, so the cache could only serve what came before it: {@link Request#broke} names the block. */
        BROKE,
        /** It began with the whole previous request, yet the provider served (almost) none of it from its cache: expired or evicted. */
        MISSED,
        /** This request or the previous one recorded no block hashes (history older than the report). */
        UNKNOWN;

        @JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Outcome fromWire(String value) {
            for (var o : values()) if (o.wire().equals(value)) return o;
            throw new IllegalArgumentException("unknown cache outcome '" + value + "'");
        }
    }

    /**
     * The part of a request that broke the prefix, in layout order after {@code model}: another model means another
     * provider cache altogether; a change in an earlier block invalidates everything after it.
     */
    public enum Block {
        MODEL, SYSTEM, TOOLS, INSTRUCTIONS, MESSAGES;

        @JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Block fromWire(String value) {
            for (var b : values()) if (b.wire().equals(value)) return b;
            throw new IllegalArgumentException("unknown prompt block '" + value + "'");
        }
    }

    /**
     * One request (step). {@code step} counts from 1 within its assistant message; {@code model} is {@code provider/model}
     * as it ran (after a failover, the fallback). {@code reason} says what explains a break or a miss when Lathe knows:
     * {@code compaction}, {@code model switch: A → B}, or {@code cache expired or evicted}.
     */
    public record Request(MessageId messageId, int step, String model, long input, long cacheRead, long cacheWrite, long output,
            double hitRatio, Outcome outcome, Optional<Block> broke, Optional<String> reason) {}

    /** Sums over every request; {@code hitRatio} over the summed tokens, so large requests weigh more. */
    public record Totals(int requests, long input, long cacheRead, long cacheWrite, long output, double hitRatio, Breaks breaks, int missed) {}

    /** How many requests each block broke the prefix at. */
    public record Breaks(int model, int system, int tools, int instructions, int messages) {
        public static final Breaks NONE = new Breaks(0, 0, 0, 0, 0);

        public Breaks plus(Block block) {
            return switch (block) {
                case MODEL -> new Breaks(model + 1, system, tools, instructions, messages);
                case SYSTEM -> new Breaks(model, system + 1, tools, instructions, messages);
                case TOOLS -> new Breaks(model, system, tools + 1, instructions, messages);
                case INSTRUCTIONS -> new Breaks(model, system, tools, instructions + 1, messages);
                case MESSAGES -> new Breaks(model, system, tools, instructions, messages + 1);
            };
        }

        public int total() { return model + system + tools + instructions + messages; }
    }
}
