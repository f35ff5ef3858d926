package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The line under an open ask that keeps a queued message's confirmation on screen (issue 53), at fixed widths. */
class QueuedNoteTest {
    @Test
    void nothingQueuedSaysNothing() {
        assertThat(QueuedNote.render(List.of(), Theme.plain(), 60)).isEmpty();
    }

    @Test
    void oneMessageIsNamedByItsFirstLine() {
        assertThat(QueuedNote.render(List.of("also run the tests\nand the linter"), Theme.plain(), 60).map(AttributedString::toString))
                .hasValue("✓ Queued for the agent: also run the tests");
    }

    @Test
    void severalAreCountedAndTheLineFitsTheWidth() {
        assertThat(QueuedNote.render(List.of("first", "then a second message that is long"), Theme.plain(), 40).map(AttributedString::toString))
                .hasValueSatisfying(l -> assertThat(l).startsWith("✓ 2 messages queued for the agent, the").hasSize(40));
    }
}
