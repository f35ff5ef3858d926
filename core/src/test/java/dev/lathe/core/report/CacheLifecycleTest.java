package dev.lathe.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.core.report.CacheLifecycle.Choice;
import dev.lathe.core.report.CacheLifecycle.Prices;
import dev.lathe.core.report.CacheLifecycle.Session;
import dev.lathe.core.report.CacheLifecycle.Strategy;
import dev.lathe.llm.Pricing;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cache lifecycle's choice (DESIGN §28, decision 504) for models priced as the bundled catalog prices them; each
 * expected cost is worked out by hand from the list prices, so a change of formula or of a price's reading fails here.
 */
class CacheLifecycleTest {
    /** Claude Sonnet 4.5 in the catalog: input 3, output 15, cache read 0.3, cache write (5 minutes) 3.75 USD/MTok. */
    private static final Prices SONNET = Prices.of(new Pricing(3, 15, 0.3, 3.75), "anthropic-messages");
    /** GPT-5 in the catalog: input 1.25, output 10, cache read 0.125, no write price, no TTL to choose. */
    private static final Prices GPT5 = Prices.of(new Pricing(1.25, 10, 0.125, 0), "openai-responses");

    @Test
    void aWatchedIdleSessionWithAMiddlingContextIsKeptWarm() {
        var d = CacheLifecycle.choose(Strategy.AUTO, SONNET, new Session(20_000, 5_000, true, true, Optional.empty()));
        assertEquals(Choice.KEEP_WARM, d.choice());
        // two warm reads (at 4.5 and 9 minutes) of 20k at 0.3, one output token each, then the resume's read
        assertEquals(2 * (6_000 + 15) + 6_000, d.cost());
        // against writing the 20k again at 3.75 after the cache lapsed
        assertEquals(75_000 - 18_030, d.saving());
        assertEquals("keep warm (saves ~$0.057 per 10-minute pause)", d.describe());
    }

    @Test
    void aLargeContextIsCompactedJustBeforeExpiry() {
        var d = CacheLifecycle.choose(Strategy.AUTO, SONNET, new Session(150_000, 5_000, true, true, Optional.empty()));
        assertEquals(Choice.COMPACT, d.choice());
        // the summary request reads 150k at 0.3, writes a 2k summary at 15, then stable + summary are written at 3.75
        assertEquals(45_000 + 30_000 + 26_250, d.cost());
        assertEquals(562_500 - 101_250, d.saving());
        // forced to keep warm, it does, dearer as it is
        var warm = CacheLifecycle.choose(Strategy.WARM, SONNET, new Session(150_000, 5_000, true, true, Optional.empty()));
        assertEquals(Choice.KEEP_WARM, warm.choice());
        assertEquals(2 * (45_000 + 15) + 45_000, warm.cost());
    }

    @Test
    void sessionsThatRecurWithinTheHourWriteTheStableBlocksWithTheOneHourTtlWhereTheModelOffersIt() {
        var recurring = new Session(30_000, 5_000, false, true, Optional.of(Duration.ofMinutes(20)));
        var d = CacheLifecycle.choose(Strategy.AUTO, SONNET, recurring);
        assertEquals(Choice.LONG_TTL, d.choice());
        // 5k written at 6 instead of 3.75, then read at 0.3 by the next session; against 5k written again at 3.75
        assertEquals(11_250 + 1_500, d.cost());
        assertEquals(18_750 - 12_750, d.saving());
        // GPT-5 has no TTL to choose, and unwatched work is never kept warm: it lapses
        assertEquals(Choice.LAPSE, CacheLifecycle.choose(Strategy.AUTO, GPT5, recurring).choice());
        // nor when the sessions come back after more than an hour
        assertEquals(Choice.LAPSE, CacheLifecycle.choose(Strategy.AUTO, SONNET,
                new Session(30_000, 5_000, false, true, Optional.of(Duration.ofMinutes(90)))).choice());
    }

    @Test
    void unwatchedWorkNeverSpendsOnItsCacheAndNoneMeansNone() {
        var headless = new Session(150_000, 5_000, false, true, Optional.empty());
        for (Strategy s : Strategy.values()) {
            var d = CacheLifecycle.choose(s, SONNET, headless);
            assertEquals(Choice.LAPSE, d.choice(), s.wire());
            assertEquals(0, d.saving(), s.wire());
        }
        assertEquals(Choice.LAPSE, CacheLifecycle.choose(Strategy.NONE, SONNET, new Session(20_000, 5_000, true, true, Optional.empty())).choice());
        // extended thinking: a one-token warm request would change the thinking budget and break the messages' cache, so
        // the next cheapest is the one-hour TTL on the 5k stable blocks (69,000 against 75,000)
        var thinking = CacheLifecycle.choose(Strategy.AUTO, SONNET, new Session(20_000, 5_000, true, false, Optional.empty()));
        assertEquals(Choice.LONG_TTL, thinking.choice());
        assertEquals(11_250 + 1_500 + 56_250, thinking.cost());
        // a local model with no prices: nothing to save
        assertEquals(Choice.LAPSE, CacheLifecycle.choose(Strategy.AUTO, Prices.of(Pricing.UNKNOWN, "openai-chat"),
                new Session(20_000, 5_000, true, true, Optional.empty())).choice());
    }
}
