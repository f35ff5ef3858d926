package dev.lathe.tui.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingSplitTest {
    private final MarkdownView view = new MarkdownView(Theme.standard());

    private static final String PARAGRAPHS = """
            # Plan

            First paragraph with `code`
            spanning two lines.

            Setext heading
            ==============

            > quoted
            > text

            > another quote

            ---

            Last words.
            """;

    private static final String CODE = """
            Intro:

            ```java
            class A {

                void f() {}


            }
            ```

            ~~~~markdown
            ```
            inner fence, still code

            ```
            ~~~~

                indented code

                more indented code after a blank

            After code.
            """;

    private static final String LISTS = """
            Steps:

            1. first

            2. second
               continued

               second paragraph of the item

               - nested

               - nested two

            3. third

            Between lists.

            - [ ] task
            - [x] done

            * star list
            * with items
            Lazy paragraph after items.

            - item

              ```
              fenced in item

              still fenced
              ```

            End.
            """;

    private static final String TABLES = """
            | a | b |
            |---|---|
            | 1 | 2 |

            | not a row of the table above |

            | x | y |
            |:--|--:|
            | wide cell text | 3 |

            Done.
            """;

    @ParameterizedTest
    @ValueSource(strings = {"paragraphs", "code", "lists", "tables", "answer"})
    void renderingTheStablePrefixAndTheRestSeparatelyMatchesRenderingTheWhole(String name) {
        String doc = switch (name) {
            case "paragraphs" -> PARAGRAPHS;
            case "code" -> CODE;
            case "lists" -> LISTS;
            case "tables" -> TABLES;
            default -> Samples.ANSWER;
        };
        List<AttributedString> whole = view.render(doc, 40);
        int previous = 0;
        int cuts = 0;
        for (int end = 0; end <= doc.length(); end++) {
            int stable = StreamingSplit.stableLength(doc.substring(0, end));
            assertThat(stable).as("at %d", end).isBetween(previous, end);
            previous = stable;
            if (stable == 0 || (end < doc.length() && doc.charAt(end) != '\n' && end != stable)) continue;
            cuts++;
            var joined = new ArrayList<>(view.render(doc.substring(0, stable), 40));
            List<AttributedString> rest = view.render(doc.substring(stable), 40);
            if (!joined.isEmpty() && !rest.isEmpty()) joined.add(AttributedString.EMPTY);
            joined.addAll(rest);
            assertThat(joined).as("cut at %d of %s: [%s]", stable, name, doc.substring(0, stable)).isEqualTo(whole);
        }
        assertThat(cuts).isPositive();
    }

    @Test
    void cutsAfterAParagraphAndItsBlankLine() {
        assertThat(StreamingSplit.stableLength("para")).isZero();
        assertThat(StreamingSplit.stableLength("para\n")).isZero();
        assertThat(StreamingSplit.stableLength("para\n\n")).isEqualTo(6);
        assertThat(StreamingSplit.stableLength("para\n\n\nmore")).isEqualTo(7);
        assertThat(StreamingSplit.stableLength("# h\n\np\n\nq")).isEqualTo(8);
    }

    @Test
    void neverCutsInsideAFence() {
        assertThat(StreamingSplit.stableLength("```\na\n\nb\n")).isZero();
        assertThat(StreamingSplit.stableLength("```\na\n\nb\n```\n\nnext")).isEqualTo(14);
        // A shorter fence of the same kind does not close a longer one; another kind does not either.
        assertThat(StreamingSplit.stableLength("````\n```\n\n~~~\n\nx")).isZero();
        assertThat(StreamingSplit.stableLength("p\n\n- a\n\n  ```\n  x\n\n  ```\n\nEnd")).isEqualTo(26);
    }

    @Test
    void waitsUntilTheLineAfterAListShowsTheListHasEnded() {
        assertThat(StreamingSplit.stableLength("- a\n\n")).isZero();
        assertThat(StreamingSplit.stableLength("- a\n\n- b")).isZero();
        assertThat(StreamingSplit.stableLength("- a\n\n  more")).isZero();
        assertThat(StreamingSplit.stableLength("- a\n\n1")).isZero();
        assertThat(StreamingSplit.stableLength("- a\n\n1999 was a year\n")).isEqualTo(5);
        assertThat(StreamingSplit.stableLength("- a\n\nT")).isEqualTo(5);
        assertThat(StreamingSplit.stableLength("Intro:\n- a\n- b\n\nText")).isEqualTo(16);
    }

    @Test
    void waitsAfterATableAndIndentedCodeToo() {
        assertThat(StreamingSplit.stableLength("| a |\n|---|\n| b |\n\n")).isZero();
        assertThat(StreamingSplit.stableLength("| a |\n|---|\n| b |\n\nNext")).isEqualTo(19);
        assertThat(StreamingSplit.stableLength("    code\n\n    more")).isZero();
    }
}
