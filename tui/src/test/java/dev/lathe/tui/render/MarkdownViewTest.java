package dev.lathe.tui.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Random;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownViewTest {
    private static final Theme THEME = Theme.standard();
    private final MarkdownView view = new MarkdownView(THEME);

    private List<String> text(String markdown, int width) {
        return view.render(markdown, width).stream().map(AttributedString::toString).toList();
    }

    /** The style of the first character of {@code token} in {@code line}. */
    static AttributedStyle styleOf(AttributedString line, String token) {
        int at = line.toString().indexOf(token);
        assertThat(at).as("'%s' in '%s'", token, line).isNotNegative();
        return line.styleAt(at);
    }

    @Test
    void emptyOrBlankInputGivesNoLines() {
        assertThat(view.render("", 40)).isEmpty();
        assertThat(view.render(" \n\n  \n", 40)).isEmpty();
    }

    @Test
    void headingsDropTheirMarkersAndH1DiffersFromH2() {
        List<AttributedString> lines = view.render("# Title\n\nSub\n---\n\n### Third", 40);
        assertThat(lines.stream().map(AttributedString::toString)).containsExactly("Title", "", "Sub", "", "Third");
        AttributedStyle h1 = lines.get(0).styleAt(0);
        AttributedStyle h2 = lines.get(2).styleAt(0);
        assertThat(h2).isEqualTo(THEME.style(Role.HEADING));
        assertThat(h1).isNotEqualTo(h2);
        assertThat(lines.get(4).styleAt(0)).isNotIn(h1, h2);
    }

    @Test
    void separatesBlocksByOneBlankLineWithNoneFirstOrLast() {
        assertThat(text("\n\none\n\n\n\ntwo\n\n\n", 40)).containsExactly("one", "", "two");
    }

    @Test
    void wrapsParagraphsAndTurnsSoftBreaksIntoSpacesAndHardBreaksIntoLines() {
        assertThat(text("alpha beta\ngamma delta epsilon", 12)).containsExactly("alpha beta", "gamma delta", "epsilon");
        assertThat(text("one  \ntwo\\\nthree", 40)).containsExactly("one", "two", "three");
    }

    @Test
    void stylesInlineEmphasisStrongCodeAndNestedStyles() {
        AttributedString line = view.render("plain *em* **strong** `code` ***both***", 80).getFirst();
        assertThat(line.toString()).isEqualTo("plain em strong code both");
        assertThat(styleOf(line, "plain")).isEqualTo(THEME.style(Role.TEXT));
        assertThat(styleOf(line, "em")).isEqualTo(THEME.style(Role.EMPHASIS));
        assertThat(styleOf(line, "strong")).isEqualTo(THEME.style(Role.STRONG));
        assertThat(styleOf(line, "code")).isEqualTo(THEME.style(Role.INLINE_CODE));
        assertThat(styleOf(line, "both")).isEqualTo(AttributedStyle.DEFAULT.italic().bold());
    }

    @Test
    void showsLinkTextThenTheUrlMutedUnlessTheTextIsTheUrl() {
        AttributedString line = view.render("see [the docs](https://x.dev/a) or <https://x.dev/b>", 80).getFirst();
        assertThat(line.toString()).isEqualTo("see the docs (https://x.dev/a) or https://x.dev/b");
        assertThat(styleOf(line, "the docs")).isEqualTo(THEME.style(Role.LINK));
        assertThat(styleOf(line, "(https://x.dev/a)")).isEqualTo(THEME.style(Role.MUTED));
        assertThat(styleOf(line, "https://x.dev/b")).isEqualTo(THEME.style(Role.LINK));
    }

    @Test
    void nestsBulletsWithDifferentMarkersAndHangingIndent() {
        assertThat(text("- one two three four\n  - inner item here\n- last", 16)).containsExactly(
                "• one two three",
                "  four",
                "  ◦ inner item",
                "    here",
                "• last");
    }

    @Test
    void keepsNumbersAndAlignsTheHangingIndentAfterTheWidestMarker() {
        var md = new StringBuilder();
        for (int i = 1; i <= 10; i++) md.append(i).append(". item number ").append(i).append('\n');
        List<String> lines = text(md.toString(), 14);
        assertThat(lines.get(0)).isEqualTo(" 1. item");
        assertThat(lines.get(1)).isEqualTo("    number 1");
        assertThat(lines.get(18)).isEqualTo("10. item");
        assertThat(lines.get(19)).isEqualTo("    number 10");
        assertThat(text("3) three\n4) four", 20)).containsExactly("3) three", "4) four");
    }

    @Test
    void separatesItemsOfALooseListByBlankLines() {
        assertThat(text("- a\n\n- b", 20)).containsExactly("• a", "", "• b");
    }

    @Test
    void showsTaskItemsAsBoxes() {
        assertThat(text("- [ ] todo\n- [x] done\n- [link] text", 20)).containsExactly("☐ todo", "☑ done", "• [link] text");
    }

    @Test
    void drawsABarBeforeEveryQuotedLineAndWrapsInsideIt() {
        List<AttributedString> lines = view.render("> quoted words that wrap\n>\n> second", 12);
        assertThat(lines.stream().map(AttributedString::toString)).containsExactly("│ quoted", "│ words that", "│ wrap", "│", "│ second");
        assertThat(lines.getFirst().styleAt(0)).isEqualTo(THEME.style(Role.BORDER));
    }

    @Test
    void codeBlocksKeepBlankLinesAndIndentationAndAreCutNotWrapped() {
        List<String> lines = text("```python\ndef f():\n\n    return 'a b c d e f'\n```", 16);
        // from the first column: a selection copies the code with no spaces added
        assertThat(lines).containsExactly("python", "def f():", "", "    return 'a b ", "c d e f'");
        assertThat(view.render("```java\nint x;\n```", 40).getFirst().styleAt(0)).isEqualTo(THEME.style(Role.MUTED));
    }

    @Test
    void indentedCodeBlocksHaveNoLabel() {
        assertThat(text("para\n\n    x = 1\n\n    y = 2", 40)).containsExactly("para", "", "x = 1", "", "y = 2");
    }

    @Test
    void highlightsCodeByItsLanguage() {
        AttributedString line = view.render("```java\nreturn 42;\n```", 40).get(1);
        assertThat(styleOf(line, "return")).isEqualTo(THEME.style(Role.KEYWORD));
        assertThat(styleOf(line, "42")).isEqualTo(THEME.style(Role.NUMBER));
    }

    @Test
    void rendersTablesWithBoldHeadersAndAlignment() {
        List<AttributedString> lines = view.render("| a | b |\n|---|--:|\n| xy | 1 |\n| z | 22 |", 40);
        assertThat(lines.stream().map(AttributedString::toString)).containsExactly(
                "┌────┬────┐",
                "│ a  │  b │",
                "├────┼────┤",
                "│ xy │  1 │",
                "│ z  │ 22 │",
                "└────┴────┘");
        assertThat(styleOf(lines.get(1), "a")).isEqualTo(THEME.style(Role.STRONG));
        assertThat(lines.getFirst().styleAt(0)).isEqualTo(THEME.style(Role.BORDER));
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 40, 80})
    void shrinksWideTablesToTheWidthAndWrapsInsideCells(int width) {
        String md = """
                | id | description | notes |
                |----|-------------|-------|
                | 1 | %s | short |
                | 2 | 日本語のテキストはとても長いです | x |
                """.formatted("a long description that cannot possibly fit in a narrow terminal ".repeat(2));
        List<AttributedString> lines = view.render(md, width);
        assertThat(lines).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(width));
        // Every line of the grid is exactly as wide as the top rule: the columns line up.
        int gridWidth = lines.getFirst().columnLength();
        assertThat(lines).allSatisfy(l -> assertThat(l.columnLength()).isEqualTo(gridWidth));
        assertThat(String.join("", lines.stream().map(AttributedString::toString).toList())).contains("│ id │").contains("│ 2 ");
    }

    @Test
    void drawsThematicBreaksAcrossTheWidth() {
        assertThat(text("a\n\n***\n\nb", 10)).containsExactly("a", "", "──────────", "", "b");
    }

    @Test
    void showsHtmlAsPlainText() {
        assertThat(text("<div>\nhi\n</div>\n\ntext <b>bold</b>", 40)).containsExactly("<div>", "hi", "</div>", "", "text <b>bold</b>");
    }

    @Test
    void neutralisesControlCharactersAndTabs() {
        List<AttributedString> lines = view.render("a\u001b[31mred\n\n```\n\tx\n```", 40);
        assertThat(lines.getFirst().toString()).isEqualTo("a␛[31mred");
        assertThat(lines.get(2).toString()).isEqualTo("    x");
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 40, 80})
    void neverExceedsTheWidthWithWideCharacters(int width) {
        String md = """
                # 日本語の見出しはとても長いのでちゃんと折り返す必要があります

                中文段落，包含很多很多很多很多很多很多很多很多很多很多很多的字符。English mixed 한국어도 있습니다.

                - 項目一 項目一 項目一 項目一 項目一 項目一 項目一
                  - 入れ子の項目 入れ子の項目 入れ子の項目

                > 引用文 引用文 引用文 引用文 引用文 引用文 引用文

                ```
                String s = "日本語の文字列日本語の文字列日本語の文字列日本語の文字列";
                ```
                """;
        assertThat(view.render(md, width)).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(width));
    }

    @Test
    void neverExceedsTheWidthForRandomMarkdown() {
        var random = new Random(42);
        String[] pieces = {"word ", "longerword ", "**bold** ", "*it* ", "`code` ", "[l](http://e.com/x) ", "日本 ",
                "\n", "\n\n", "\n- ", "\n  - ", "\n1. ", "\n> ", "\n# ", "\n```\n", "\n| a | b |\n|---|---|\n| c | d |\n",
                "supercalifragilisticexpialidocious ", "\t", "    ", "---\n"};
        for (int round = 0; round < 300; round++) {
            var md = new StringBuilder();
            int n = 5 + random.nextInt(60);
            for (int i = 0; i < n; i++) md.append(pieces[random.nextInt(pieces.length)]);
            int width = 8 + random.nextInt(90);
            List<AttributedString> lines = view.render(md.toString(), width);
            assertThat(lines).as("round %d at %d: %s", round, width, md).allSatisfy(
                    l -> assertThat(l.columnLength()).isLessThanOrEqualTo(width));
            if (!lines.isEmpty()) {
                assertThat(lines.getFirst().length()).isPositive();
                assertThat(lines.getLast().length()).isPositive();
            }
        }
    }
}
