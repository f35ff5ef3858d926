package dev.lathe.tui.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class DiffViewTest {
    private static final Theme THEME = Theme.standard();
    private final DiffView view = new DiffView(THEME);

    /** As the edit tools write it (LineDiff): a/ b/ headers, then hunks with counts. */
    static final String TWO_HUNKS = """
            --- a/src/Main.java
            +++ b/src/Main.java
            @@ -1,5 +1,5 @@
             package demo;

            -import java.util.List;
            +import java.util.ArrayList;

             final class Main {
            @@ -96,6 +96,8 @@
                 void run() {
                     var items = load();
            -        for (var item : items) System.out.println(item);
            +        for (var item : items) {
            +            System.out.println(item.name() + " → " + item.description().strip());
            +        }
                 }

                 private List<String> load() {
            """;

    private List<String> text(String diff, int width) {
        return view.render(diff, width).stream().map(AttributedString::toString).toList();
    }

    @Test
    void numbersLinesFromTheHunkHeadersAndDropsFileHeaders() {
        assertThat(text(TWO_HUNKS, 80)).startsWith(
                "  1   1   package demo;",
                "  2   2",
                "  3     - import java.util.List;",
                "      3 + import java.util.ArrayList;",
                "  4   4",
                "  5   5   final class Main {",
                "  ⋯");
        assertThat(text(TWO_HUNKS, 80)).contains("101 103       private List<String> load() {").noneMatch(l -> l.contains("a/src/Main.java"));
    }

    @Test
    void paintsAddedRemovedAndContextLinesAndKeepsNumbersMuted() {
        List<AttributedString> lines = view.render(TWO_HUNKS, 80);
        assertThat(lines.get(2).styleAt(10)).isEqualTo(THEME.style(Role.DIFF_REMOVED));
        assertThat(lines.get(2).styleAt(20)).isEqualTo(THEME.style(Role.DIFF_REMOVED));
        assertThat(lines.get(3).styleAt(20)).isEqualTo(THEME.style(Role.DIFF_ADDED));
        assertThat(lines.get(0).styleAt(20)).isEqualTo(THEME.style(Role.DIFF_CONTEXT));
        assertThat(lines.get(0).styleAt(2)).isEqualTo(THEME.style(Role.MUTED));
        assertThat(lines.get(6).styleAt(1)).isEqualTo(THEME.style(Role.DIFF_HUNK));
    }

    @Test
    void cutsLongLinesAndContinuesUnderAnEmptyGutter() {
        List<String> lines = text(TWO_HUNKS, 30);
        assertThat(lines).allSatisfy(l -> assertThat(new AttributedString(l).columnLength()).isLessThanOrEqualTo(30));
        int at = lines.indexOf("     99 +             System.o");
        assertThat(at).isPositive();
        assertThat(lines.get(at + 1)).isEqualTo("          ut.println(item.name");
    }

    @Test
    void readsRemovedLinesThatLookLikeHeadersByTheHunkCounts() {
        String diff = "--- a/q.sql\n+++ b/q.sql\n@@ -1,2 +1,1 @@\n--- old comment\n select 1;\n";
        assertThat(text(diff, 40)).containsExactly("1   - -- old comment", "2 1   select 1;");
    }

    @Test
    void showsTheMissingNewlineNoteMuted() {
        String diff = "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n";
        List<AttributedString> lines = view.render(diff, 40);
        assertThat(lines.stream().map(AttributedString::toString)).containsExactly(
                "1   - a", "      \\ No newline at end of file", "  1 + b", "      \\ No newline at end of file");
        assertThat(lines.get(1).styleAt(6)).isEqualTo(THEME.style(Role.MUTED));
    }

    @Test
    void showsAHunkItCannotReadAsANote() {
        String diff = "--- a/big.txt\n+++ b/big.txt\n@@ file too large to diff: 5000 → 5001 lines @@\n";
        assertThat(text(diff, 80)).containsExactly("  @@ file too large to diff: 5000 → 5001 lines @@");
    }

    @Test
    void numbersANewFile() {
        assertThat(text("--- a/n.txt\n+++ b/n.txt\n@@ -1,0 +1,2 @@\n+one\n+two\n", 40)).containsExactly("  1 + one", "  2 + two");
    }

    @Test
    void limitsTheLinesAndSaysHowManyMore() {
        List<AttributedString> lines = view.render(TWO_HUNKS, 80, 4);
        assertThat(lines).hasSize(5);
        assertThat(lines.getLast().toString()).isEqualTo("… 13 more lines");
        assertThat(lines.getLast().styleAt(0)).isEqualTo(THEME.style(Role.MUTED));
        assertThat(view.render(TWO_HUNKS, 80, 100)).isEqualTo(view.render(TWO_HUNKS, 80));
    }

    @Test
    void dropsLineNumbersWhenTooNarrowForThem() {
        assertThat(text("@@ -1000,1 +1000,1 @@\n-abcdefghijklmnop\n+x\n", 12))
                .containsExactly("⋯", "- abcdefghij", "  klmnop", "+ x");
    }

    @Test
    void rendersEmptyInputAsNothing() {
        assertThat(view.render("", 40)).isEmpty();
    }

    @Test
    void twoHunksAt80() {
        Snapshots.assertMatches("render-diff-80", view.render(TWO_HUNKS, 80));
    }

    @Test
    void twoHunksAt30() {
        Snapshots.assertMatches("render-diff-30", view.render(TWO_HUNKS, 30));
    }
}
