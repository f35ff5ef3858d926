package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.CacheReport.Block;
import dev.lathe.protocol.api.CacheReport.Outcome;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** {@code /context} and {@code /cache} as the terminal UI prints them. */
class AccountingViewTest {
    static final SessionId SESSION = new SessionId("ses_0000000000001");

    final ContextReport context = new ContextReport(SESSION, "anthropic/claude-sonnet-4-5", 200_000, 32_000,
            new ContextReport.Blocks(2_150, 4_300, 420, 9_800, 31_250), Optional.of(45_300L), 200_000 - 32_000 - 47_920);

    @Test
    void contextShowsEachBlockTheReserveAndTheFreeSpaceOverOneBar() {
        var lastStep = new Usage(1_000, 500, 0, 40_000, 4_300);
        Snapshots.assertMatches("context-80", ContextView.render(context, lastStep, Theme.standard(), 80));
        List<AttributedString> narrow = ContextView.render(context, lastStep, Theme.plain(), 50);
        Snapshots.assertMatches("context-plain-50", narrow);
        assertThat(narrow).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(50));
        String text = String.join("\n", ContextView.render(context, lastStep, Theme.plain(), 120).stream().map(AttributedString::toString).toList());
        assertThat(text).contains("tool outputs", "31.3k", "next request", "47.9k", "24% of the window", "last request", "45.3k",
                "cache read 40k", "reserved", "free", "120k");
        // the bar: 40 cells, fixed prompt 1, messages 8, reserve 6 (of 200k), the rest free
        String bar = narrow.getLast().toString().strip();
        assertThat(bar).hasSize(ContextView.BAR).isEqualTo("█".repeat(1) + "▓".repeat(8) + "▒".repeat(6) + "░".repeat(25));
    }

    @Test
    void aLastStepThatIsNotTheReportedOneIsNotSplit() {
        String text = ContextView.render(context, Usage.ZERO, Theme.plain(), 120).toString();
        assertThat(text).contains("last request").doesNotContain("cache read");
        var unknownWindow = new ContextReport(SESSION, "local/qwen", 0, 4_000, context.estimate(), Optional.empty(), 0);
        List<String> lines = ContextView.render(unknownWindow, Usage.ZERO, Theme.plain(), 80).stream().map(AttributedString::toString).toList();
        assertThat(lines).noneMatch(l -> l.contains("free") || l.contains("last request") || l.contains("window"));
    }

    @Test
    void cacheListsTheLastRequestsWithTheBlockThatBroke() {
        List<CacheReport.Request> requests = new ArrayList<>();
        var m = new MessageId("msg_0000000000001");
        for (int i = 0; i < 9; i++) requests.add(request(m, i + 1, "anthropic/claude-sonnet-4-5", 12, 30_000 + 1_000 * i, 900, Outcome.KEPT,
                Optional.empty(), Optional.empty()));
        requests.set(0, request(m, 1, "anthropic/claude-sonnet-4-5", 3, 0, 30_000, Outcome.FIRST, Optional.empty(), Optional.empty()));
        requests.add(request(m, 10, "anthropic/claude-sonnet-4-5", 2_100, 6_000, 33_000, Outcome.BROKE, Optional.of(Block.INSTRUCTIONS), Optional.empty()));
        requests.add(request(m, 11, "openrouter/anthropic/claude-sonnet-4.5-preview", 41_000, 0, 0, Outcome.BROKE, Optional.of(Block.MODEL),
                Optional.of("model switch: anthropic/claude-sonnet-4-5 → openrouter/anthropic/claude-sonnet-4.5-preview")));
        requests.add(request(m, 12, "openrouter/anthropic/claude-sonnet-4.5-preview", 41_500, 0, 0, Outcome.MISSED, Optional.empty(),
                Optional.of("cache expired or evicted")));
        long input = requests.stream().mapToLong(CacheReport.Request::input).sum();
        long read = requests.stream().mapToLong(CacheReport.Request::cacheRead).sum();
        long write = requests.stream().mapToLong(CacheReport.Request::cacheWrite).sum();
        var report = new CacheReport(SESSION, requests, new CacheReport.Totals(12, input, read, write, 5_000, Usage.hitRatio(input, read, write),
                new CacheReport.Breaks(1, 0, 0, 1, 0), 1));

        Snapshots.assertMatches("cache-80", CacheView.render(report, Theme.standard(), 80));
        List<String> plain = CacheView.render(report, Theme.plain(), 80).stream().map(AttributedString::toString).toList();
        assertThat(plain).hasSize(2 + CacheView.LAST + 1);
        assertThat(plain.get(1)).isEqualTo("  2 breaks (model 1, instructions 1) · 1 miss with an unchanged prefix");
        assertThat(plain).anySatisfy(l -> assertThat(l).startsWith("   10  claude-sonnet-4-5").endsWith("broke: instructions"));
        assertThat(plain).anySatisfy(l -> assertThat(l).startsWith("   12").contains("0%  missed (cache expired or evicted)"));
        assertThat(plain).noneMatch(l -> l.startsWith("    1  ") || l.startsWith("    2  "));
        assertThat(CacheView.render(report, Theme.plain(), 40)).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(40));
    }

    @Test
    void anEmptyReportSaysSo() {
        var empty = new CacheReport(SESSION, List.of(), new CacheReport.Totals(0, 0, 0, 0, 0, 0, CacheReport.Breaks.NONE, 0));
        assertThat(CacheView.render(empty, Theme.plain(), 80)).extracting(AttributedString::toString)
                .containsExactly("Cache  no requests yet in this session");
    }

    private static CacheReport.Request request(MessageId m, int step, String model, long input, long read, long write, Outcome outcome,
            Optional<Block> broke, Optional<String> reason) {
        return new CacheReport.Request(m, step, model, input, read, write, 100, Usage.hitRatio(input, read, write), outcome, broke, reason);
    }
}
