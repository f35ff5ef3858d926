package dev.lathe.tui.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class InlineScreenTest {
    private static List<AttributedString> lines(String... text) {
        return java.util.Arrays.stream(text).map(AttributedString::new).toList();
    }

    @Test
    void committedLinesGoToScrollbackAndTheLiveRegionStaysAtTheBottom() {
        var vt = new VirtualSurface(30, 6);
        var screen = new InlineScreen(vt);
        screen.render(lines("working", "> "), Optional.of(new Cursor(1, 2)));
        for (int i = 0; i < 10; i++) screen.commit(lines("answer " + i), lines("working " + i, "> "), Optional.of(new Cursor(1, 2)));
        screen.render(lines("done", "> hi"), Optional.of(new Cursor(1, 4)));

        assertThat(vt.all()).containsSubsequence("answer 0", "answer 1", "answer 8", "answer 9", "done", "> hi");
        assertThat(vt.all()).doesNotContain("working 3", "working");
        assertThat(vt.screen()).endsWith("done", "> hi");
    }

    @Test
    void redrawsOnlyTheLinesThatChanged() {
        var vt = new VirtualSurface(40, 10);
        var screen = new InlineScreen(vt);
        screen.render(lines("alpha", "beta", "gamma"), Optional.empty());
        vt.drain();
        screen.render(lines("alpha", "BETA", "gamma"), Optional.empty());
        String frame = vt.drain();
        assertThat(frame).contains("BETA").doesNotContain("alpha").doesNotContain("gamma");
        assertThat(frame).startsWith("\u001b[?2026h").contains("\u001b[?2026l");
        assertThat(vt.screen()).startsWith("alpha", "BETA", "gamma");
    }

    @Test
    void aShrinkingRegionLeavesNoStaleRows() {
        var vt = new VirtualSurface(40, 10);
        var screen = new InlineScreen(vt);
        screen.render(lines("one", "two", "three", "four"), Optional.empty());
        screen.render(lines("one", "2"), Optional.empty());
        assertThat(String.join("\n", vt.screen()).strip()).isEqualTo("one\n2");
    }

    @Test
    void theRegionIsCutToTheScreenAndTheWidth() {
        var vt = new VirtualSurface(10, 5);
        var screen = new InlineScreen(vt);
        List<AttributedString> tall = IntStream.range(0, 20).mapToObj(i -> new AttributedString("row " + i + " is long")).toList();
        screen.render(tall, Optional.empty());
        screen.render(tall, Optional.empty());
        assertThat(vt.screen()).containsExactly("row 16 is", "row 17 is", "row 18 is", "row 19 is", "");
    }

    @Test
    void theCursorEndsWhereTheEditorWantsIt() {
        var vt = new VirtualSurface(40, 10);
        var screen = new InlineScreen(vt);
        screen.render(lines("status", "> hello", "footer"), Optional.of(new Cursor(1, 7)));
        vt.write("X");  // what the user would see typed at the cursor
        assertThat(vt.screen()).startsWith("status", "> helloX", "footer");
    }

    @Test
    void narrowingTheTerminalRedrawsWithoutDuplicates() {
        var vt = new VirtualSurface(40, 10);
        var screen = new InlineScreen(vt);
        // lines no wider than the new width: the same rows whether or not the terminal reflows
        screen.commit(lines("history line"), lines("a live line", "> "), Optional.of(new Cursor(1, 2)));
        vt.resize(20, 10);
        screen.resized(lines("a live line that", "> "), Optional.of(new Cursor(1, 2)));
        List<String> all = vt.all();
        assertThat(all.stream().filter(l -> l.startsWith("a live line")).count()).isEqualTo(1);
        assertThat(all).containsSubsequence("history line", "a live line that", ">");
    }

    @Test
    void aFrameDrawnBeforeTheResizeSignalStillStartsAtTheReflowedTop() {
        var vt = new VirtualSurface(40, 10);
        var screen = new InlineScreen(vt);
        List<AttributedString> live = lines("─".repeat(40), "> ", "footer");
        screen.render(live, Optional.of(new Cursor(1, 2)));
        vt.resize(20, 10);
        vt.drain();
        // an event redraws the footer before the WINCH signal is handled: the 40-column border now takes two rows
        screen.render(live, Optional.of(new Cursor(1, 2)));
        String frame = vt.drain();
        assertThat(frame).contains("\u001b[2A\r\u001b[J");
        vt.drain();
        // the signal's own redraw then finds the region already at the new width
        screen.resized(live, Optional.of(new Cursor(1, 2)));
        assertThat(vt.drain()).contains("\u001b[1A\r\u001b[J");
    }
}
