package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** {@code /help} in the pager: a screen of its lines from the first, scrolled by the pager's keys, laid out per width. */
class TextPagerTest {
    private static List<String> screen(TextPager pager, int width, int height) {
        return pager.render(Theme.plain(), width, height).stream().map(AttributedString::toString).toList();
    }

    private static TextPager numbered(int count, List<Integer> widthsAskedFor) {
        return new TextPager("help", w -> {
            widthsAskedFor.add(w);
            return IntStream.rangeClosed(1, count).mapToObj(i -> new AttributedString("line " + i)).toList();
        });
    }

    @Test
    void opensAtTheFirstLineWithAStatusRowThatSaysHowToClose() {
        var pager = numbered(75, new ArrayList<>());
        List<String> rows = screen(pager, 60, 10);
        assertThat(rows).hasSize(10);
        assertThat(rows.subList(0, 9)).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
        assertThat(rows.getLast()).startsWith(" help q or esc to close · lines 1–9 of 75");
        assertThat(rows).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void scrollsByLineAndPageAndStopsAtEitherEnd() {
        var pager = numbered(30, new ArrayList<>());
        screen(pager, 40, 10);
        pager.down(1);
        assertThat(screen(pager, 40, 10).getFirst()).isEqualTo("line 2");
        pager.pageDown();
        assertThat(screen(pager, 40, 10).getFirst()).isEqualTo("line 10");
        pager.end();
        assertThat(screen(pager, 40, 10).subList(0, 9).getLast()).isEqualTo("line 30");
        pager.down(5);
        assertThat(screen(pager, 40, 10).getFirst()).as("no scrolling past the end").isEqualTo("line 22");
        pager.home();
        pager.up(3);
        assertThat(screen(pager, 40, 10).getFirst()).isEqualTo("line 1");
    }

    @Test
    void aShortPageFillsTheRestWithTildesAndIsLaidOutAgainOnlyWhenTheWidthChanges() {
        var widths = new ArrayList<Integer>();
        var pager = numbered(3, widths);
        assertThat(screen(pager, 50, 6)).containsExactly("line 1", "line 2", "line 3", "~", "~", screen(pager, 50, 6).getLast());
        screen(pager, 50, 6);
        screen(pager, 70, 6);
        assertThat(widths).containsExactly(50, 70);
    }

    @Test
    void anAskWaitingTakesTheStatusRow() {
        var pager = numbered(20, new ArrayList<>());
        List<String> rows = pager.render(Theme.plain(), 80, 8, "a question or permission waits for your answer").stream().map(AttributedString::toString).toList();
        assertThat(rows.getLast()).isEqualTo(" ? a question or permission waits for your answer · q or esc to answer it");
    }
}
