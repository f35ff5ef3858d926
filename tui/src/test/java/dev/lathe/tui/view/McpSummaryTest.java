package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class McpSummaryTest {
    static McpServerInfo server(String name, String status) {
        return new McpServerInfo(name, status, status.equals("failed") ? Optional.of("exited with status 1") : Optional.empty(), 0);
    }

    final McpSummary starting = new McpSummary(List.of(server("everything", "starting"), server("docs", "starting"),
            server("broken", "starting"), server("off", "disabled")));

    @Test
    void countsConnectedOfEnabledAndLeavesDisabledServersOut() {
        assertThat(text(starting)).isEqualTo("mcp 0/3");
        McpSummary up = starting.with(server("everything", "connected")).with(server("docs", "connected"));
        assertThat(text(up)).isEqualTo("mcp 2/3");
        assertThat(up.servers()).extracting(McpServerInfo::name).containsExactly("everything", "docs", "broken", "off");
    }

    @Test
    void aServerThatIsDownIsNamedInTheWarningColour() {
        McpSummary failed = starting.with(server("everything", "connected")).with(server("broken", "failed"));
        assertThat(text(failed)).isEqualTo("mcp 1/3 · broken failed");
        AttributedString painted = failed.render(Theme.standard()).orElseThrow();
        assertThat(painted.styleAt(0)).isEqualTo(Theme.standard().style(Role.WARNING));
        assertThat(starting.render(Theme.standard()).orElseThrow().styleAt(0)).isEqualTo(Theme.standard().style(Role.FOOTER));

        McpSummary two = failed.with(server("docs", "needs_auth"));
        assertThat(text(two)).isEqualTo("mcp 1/3 · docs needs auth +1");
        // it comes back: the warning goes
        assertThat(text(two.with(server("docs", "connected")).with(server("broken", "connected")))).isEqualTo("mcp 3/3");
    }

    @Test
    void aServerNotKnownYetIsAddedAndNoServersShowNothing() {
        assertThat(McpSummary.NONE.render(Theme.plain())).isEmpty();
        assertThat(new McpSummary(List.of(server("off", "disabled"))).render(Theme.plain())).isEmpty();
        assertThat(text(McpSummary.NONE.with(server("late", "connected")))).isEqualTo("mcp 1/1");
    }

    @Test
    void theFooterKeepsADownServerLongestAndAHealthyFigureShortest() {
        McpSummary down = starting.with(server("everything", "connected")).with(server("broken", "failed"));
        McpSummary healthy = new McpSummary(List.of(server("everything", "connected")));
        Usage usage = new Usage(1000, 500, 0, 8000, 1000);
        Footer withDown = new Footer("build", "anthropic/claude-sonnet-4-5", 45_300, 200_000, 123_400, usage, "", down);
        Footer withHealthy = new Footer("build", "anthropic/claude-sonnet-4-5", 45_300, 200_000, 123_400, usage, "", healthy);
        Snapshots.assertMatches("footer-mcp", List.of(withDown.render(Theme.standard(), 120), withDown.render(Theme.plain(), 72),
                withHealthy.render(Theme.plain(), 120), withHealthy.render(Theme.plain(), 80)));
        assertThat(withDown.render(Theme.plain(), 120).toString()).contains("mcp 1/3 · broken failed · ctx 45.3k/200k 23%");
        // narrower: the cost and cache go before the down server does
        assertThat(withDown.render(Theme.plain(), 72).toString()).contains("broken failed").doesNotContain("cache");
        assertThat(withHealthy.render(Theme.plain(), 120).toString()).endsWith("cache 80% · mcp 1/1");
        assertThat(withHealthy.render(Theme.plain(), 80).toString()).doesNotContain("mcp").contains("cache 80%");
        for (int w : new int[] {120, 72, 40, 12}) assertThat(withDown.render(Theme.plain(), w).columnLength()).isLessThanOrEqualTo(w);
    }

    private static String text(McpSummary s) {
        return s.render(Theme.plain()).orElseThrow().toString();
    }
}
