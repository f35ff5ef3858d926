package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir Path dir;

    @Test
    void multiLineEntriesSurviveANewHistoryOnTheSameFile() {
        Path file = dir.resolve("state/lathe/history.jsonl");
        var h = new History(file);
        h.add("first");
        h.add("two\nlines with \"quotes\" and \\ and 日本");
        assertThat(file).exists();

        var again = new History(file);
        assertThat(again.entries()).containsExactly("first", "two\nlines with \"quotes\" and \\ and 日本");
        assertThat(again.previous("")).contains("two\nlines with \"quotes\" and \\ and 日本");
    }

    @Test
    void aMissingFileIsEmptyAndIsOnlyCreatedOnSave() {
        Path file = dir.resolve("nested/history.jsonl");
        var h = new History(file);
        assertThat(h.entries()).isEmpty();
        assertThat(h.previous("draft")).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void corruptLinesAreSkipped() throws IOException {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(file, "\"ok one\"\nnot json\n{\"an\":\"object\"}\n42\n\"unterminated\n\n\"ok two\"\n", StandardCharsets.UTF_8);
        assertThat(new History(file).entries()).containsExactly("ok one", "ok two");
    }

    @Test
    void dropsBlankEntriesAndConsecutiveDuplicates() {
        var h = new History(dir.resolve("h"));
        h.add("a");
        h.add("a");
        h.add("  \n ");
        h.add("b");
        h.add("a");
        assertThat(h.entries()).containsExactly("a", "b", "a");
        assertThat(new History(dir.resolve("h")).entries()).containsExactly("a", "b", "a");
    }

    @Test
    void keepsTheNewestThousandAndKeepsTheFileBounded() throws IOException {
        Path file = dir.resolve("h");
        var h = new History(file);
        for (int i = 0; i < 2500; i++) h.add("entry " + i);
        assertThat(h.entries()).hasSize(History.MAX).first().isEqualTo("entry 1500");
        assertThat(h.entries()).last().isEqualTo("entry 2499");
        assertThat(Files.readAllLines(file)).hasSizeLessThan(2 * History.MAX);
        List<String> reloaded = new History(file).entries();
        assertThat(reloaded).hasSize(History.MAX).first().isEqualTo("entry 1500");
    }

    @Test
    void navigationKeepsTheDraftAndGivesItBackPastTheNewest() {
        var h = new History(dir.resolve("h"));
        h.add("one");
        h.add("two");
        assertThat(h.next()).as("not navigating").isEmpty();
        assertThat(h.previous("my draft")).contains("two");
        assertThat(h.previous("two")).contains("one");
        assertThat(h.previous("one")).as("at the oldest").isEmpty();
        assertThat(h.next()).contains("two");
        assertThat(h.next()).contains("my draft");
        assertThat(h.next()).isEmpty();
        assertThat(h.previous("new draft")).contains("two");
        h.add("three");
        assertThat(h.previous("")).as("adding ends navigation").contains("three");
    }
}
