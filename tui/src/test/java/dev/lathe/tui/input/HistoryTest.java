package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir Path dir;

    @Test
    void entriesSurviveARestartMultiLineIncludedAndTheDraftComesBack() throws Exception {
        Path file = dir.resolve("state/history.jsonl");
        var h = new History(file);
        h.add("first");
        h.add("second\nwith two lines");
        h.add("second\nwith two lines");
        Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);

        var again = new History(file);
        assertThat(again.previous("my draft")).contains("second\nwith two lines");
        assertThat(again.previous("ignored")).contains("first");
        assertThat(again.previous("ignored")).isEmpty();
        assertThat(again.next()).contains("second\nwith two lines");
        assertThat(again.next()).contains("my draft");
        assertThat(again.next()).isEmpty();
    }
}
