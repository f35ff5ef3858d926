package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FooterTest {
    final Footer footer = new Footer("build", "anthropic/claude-sonnet-4-5", 45_300, 200_000, 123_400,
            new Usage(1000, 500, 0, 8000, 1000), "");

    @Test
    void showsModelContextCostAndCacheRatioAndDropsFiguresWhenNarrow() {
        Snapshots.assertMatches("footer-widths", List.of(footer.render(Theme.standard(), 100), footer.render(Theme.plain(), 70),
                footer.render(Theme.plain(), 55), footer.render(Theme.plain(), 30)));
        assertThat(footer.render(Theme.plain(), 100).toString()).contains("ctx 45.3k/200k 23%", "$0.12", "cache 80%");
        for (int w : new int[] {100, 70, 55, 30, 12}) assertThat(footer.render(Theme.plain(), w).columnLength()).isLessThanOrEqualTo(w);
    }

    @Test
    void tokensWithoutACostAreAnUnknownPriceNotAFreeAnswer() {
        var unpriced = new Footer("build", "local/qwen", 900, 0, 0, new Usage(800, 100, 0, 0, 0), "");
        assertThat(unpriced.render(Theme.plain(), 100).toString()).contains("price unknown").doesNotContain("$0.0000");
        var nothingYet = new Footer("build", "local/qwen", 0, 0, 0, Usage.ZERO, "");
        var imported = new Footer(new Footer.Left("build", "anthropic/claude-sonnet-4-5", Optional.empty(), ""), 900, 200_000, 0,
                new Usage(800, 100, 0, 0, 0), McpSummary.NONE, Optional.empty(), true);
        assertThat(imported.render(Theme.plain(), 120).toString()).contains("imported (not billed by Lathe)").doesNotContain("price unknown");
        assertThat(nothingYet.render(Theme.plain(), 100).toString()).contains("$0.00").doesNotContain("$0.0000");
        assertThat(Footer.count(1, "response", "responses")).isEqualTo("1 response");
        assertThat(Footer.count(2, "response", "responses")).isEqualTo("2 responses");
    }

    @Test
    void noRequestYetMeansNoCacheFigure() {
        assertThat(Footer.cacheRatio(Usage.ZERO)).isEmpty();
        assertThat(Footer.tokens(999)).isEqualTo("999");
        assertThat(Footer.tokens(1_500_000)).isEqualTo("1.5M");
    }

    /** The one money rule of every client (the web UI's board has the same, WebUiIT): four places below a dollar, two from one. */
    @Test
    void theFooterShowsTheSummaryAfterTheCostAndDropsItBeforeTheCost() {
        var footer = new Footer(new Footer.Left("build", "anthropic/claude-sonnet-4-5", Optional.empty(), ""), 45_300, 200_000, 123_400,
                new Usage(1000, 500, 0, 8000, 1000), McpSummary.NONE, Optional.of("tokens 82% · resets 14:05"), false);
        assertThat(footer.render(Theme.plain(), 120).toString()).endsWith("ctx 45.3k/200k 23% · $0.1234 · tokens 82% · resets 14:05 · cache 80%");
        assertThat(footer.render(Theme.plain(), 96).toString()).endsWith("ctx 45.3k/200k 23% · $0.1234 · tokens 82% · resets 14:05");
        assertThat(footer.render(Theme.plain(), 80).toString()).endsWith("ctx 45.3k/200k 23% · $0.1234");
    }
}
