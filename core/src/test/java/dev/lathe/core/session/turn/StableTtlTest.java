package dev.lathe.core.session.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.core.report.CacheLifecycle;
import dev.lathe.core.report.CacheLifecycle.Strategy;
import dev.lathe.llm.CacheTtl;
import dev.lathe.llm.Pricing;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a session's stable blocks are sent with the one-hour TTL (decision 504), decided at its first request from the
 * lifecycle's prices: a followed session with extended thinking (no keep-warm: its budget follows max_tokens) on
 * Anthropic Messages, where writing the blocks for an hour costs less than writing them again after the pause; never on
 * a wire without the one-hour TTL, never when {@code cache.strategy} forces another option, and not when keeping
 * warm is cheaper.
 */
class StableTtlTest {
    /** Sonnet 4.5's list prices: $3 input, $15 output, $0.30 read, $3.75 five-minute write per MTok. */
    private static final Pricing SONNET = new Pricing(3, 15, 0.3, 3.75);
    private static final CacheLifecycle.Session THINKING = new CacheLifecycle.Session(12_000, 10_000, true, false, Optional.empty());

    @Test
    void aFollowedThinkingSessionOnAnthropicCachesItsStableBlocksForAnHour() {
        assertEquals(CacheTtl.ONE_HOUR, IdleCaches.stableTtl(Strategy.AUTO, CacheLifecycle.Prices.of(SONNET, "anthropic-messages"), THINKING));
    }

    @Test
    void notOnAnotherWireNorUnderAForcedStrategyNorWhenKeepingWarmIsCheaper() {
        assertEquals(CacheTtl.DEFAULT, IdleCaches.stableTtl(Strategy.AUTO, CacheLifecycle.Prices.of(SONNET, "openai-chat"), THINKING));
        assertEquals(CacheTtl.DEFAULT, IdleCaches.stableTtl(Strategy.NONE, CacheLifecycle.Prices.of(SONNET, "anthropic-messages"), THINKING));
        var warmable = new CacheLifecycle.Session(12_000, 10_000, true, true, Optional.empty());
        assertEquals(CacheTtl.DEFAULT, IdleCaches.stableTtl(Strategy.AUTO, CacheLifecycle.Prices.of(SONNET, "anthropic-messages"), warmable));
        // unwatched work with no earlier session of its prefix plans no pause: nothing is spent ahead
        var unwatched = new CacheLifecycle.Session(12_000, 10_000, false, false, Optional.empty());
        assertEquals(CacheTtl.DEFAULT, IdleCaches.stableTtl(Strategy.AUTO, CacheLifecycle.Prices.of(SONNET, "anthropic-messages"), unwatched));
    }
}
