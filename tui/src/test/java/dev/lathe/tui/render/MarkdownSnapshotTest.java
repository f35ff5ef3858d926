package dev.lathe.tui.render;

import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import org.junit.jupiter.api.Test;

class MarkdownSnapshotTest {
    @Test
    void answerAt80() {
        Snapshots.assertMatches("render-answer-80", new MarkdownView(Theme.standard()).render(Samples.ANSWER, 80));
    }

    @Test
    void answerAt40() {
        Snapshots.assertMatches("render-answer-40", new MarkdownView(Theme.standard()).render(Samples.ANSWER, 40));
    }

    @Test
    void answerAt60WithThePlainTheme() {
        Snapshots.assertMatches("render-answer-plain-60", new MarkdownView(Theme.plain()).render(Samples.ANSWER, 60));
    }
}
