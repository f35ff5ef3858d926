package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.session.context.CacheChoice;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.Usage;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the cache report and {@code lathe stats} name (decision 504), from a session's recorded requests and its model's prices. */
class CacheChoiceTest {
    private static final ResolvedModel SONNET = new ResolvedModel("anthropic/claude-sonnet-4-5",
            new Provider("anthropic", "anthropic-messages", URI.create("https://api.anthropic.com/v1"), Optional.empty(), Map.of(), Map.of()),
            new ModelInfo("claude-sonnet-4-5", 200_000, 64_000, new Pricing(3, 15, 0.3, 3.75)),
            Protocols.standard(HttpClient.newHttpClient()).find("anthropic-messages").orElseThrow());

    private static CacheReport.Request sent(long read, long write) {
        return new CacheReport.Request(MessageId.next(), 1, "anthropic/claude-sonnet-4-5", 0, read, write, 100, 0, CacheReport.Outcome.KEPT,
                Optional.empty(), Optional.empty());
    }

    @Test
    void theReportPricesTheLastRequestsContextForAWatchedPauseAndLapsesForUnwatchedWork() {
        // first request 5k (the stable blocks and the first prompt), the last one 20k
        var report = new CacheReport(SessionId.next(), List.of(sent(0, 5_000), sent(15_000, 5_000)),
                new CacheReport.Totals(2, 0, 15_000, 10_000, 200, 0.6, CacheReport.Breaks.NONE, 0));
        var watched = CacheChoice.of(report, SONNET, "auto", true);
        assertThat(watched).isEqualTo(new CacheReport.Lifecycle("auto", "keep-warm", 56_970, 10, "keep warm (saves ~$0.057 per 10-minute pause)"));
        assertThat(CacheChoice.of(report, SONNET, "auto", false)).isEqualTo(new CacheReport.Lifecycle("auto", "lapse", 0, 10, "let it lapse"));
        assertThat(CacheChoice.of(report, SONNET, "none", true).choice()).isEqualTo("lapse");
    }

    @Test
    void statsPriceTheFolderAveragePromptPerRequest() {
        // 300k prompt tokens over 2 requests: 150k each, large enough that compacting before expiry is cheapest
        var usage = new Usage(10_000, 4_000, 0, 250_000, 40_000);
        var stats = new ProjectStats("/work/a", 1, 1, 2, usage, 0, 0.83,
                List.of(new ProjectStats.ModelStats("anthropic/claude-sonnet-4-5", 1, usage, 0, 0.83)));
        var choice = CacheChoice.forStats(stats, SONNET, "auto");
        assertThat(choice.choice()).isEqualTo("compact");
        // the summary request reads 150k (45,000), writes a 2k summary (30,000), then the summary is written again (7,500)
        assertThat(choice.saving()).isEqualTo(562_500 - 82_500);
        // the same tokens over 20 requests: 15k each, kept warm
        var spread = new ProjectStats("/work/a", 1, 1, 20, usage, 0, 0.83, stats.models());
        assertThat(CacheChoice.forStats(spread, SONNET, "auto").choice()).isEqualTo("keep-warm");
    }
}
