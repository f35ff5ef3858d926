package dev.lathe.tools.builtin.edit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each matcher solves a case that every matcher before it in the chain cannot (none or several places). */
class MatcherChainTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("exact", "a = 1;\nb = 2;\n", "b = 2;", "b = 3;", "a = 1;\nb = 3;\n"),
                // trailing spaces and missing indentation; the file's indentation is kept in the replacement
                Arguments.of("trimmed-lines", "class A {\n    int x = 1;   \n    int y;\n}\n", "int x = 1;\nint y;", "int x = 2;\nint y;",
                        "class A {\n    int x = 2;\n    int y;\n}\n"),
                // a misremembered middle line between matching first and last lines
                Arguments.of("block-anchors", "void run() {\n    start();\n    process(items);\n    stop();\n}\n",
                        "void run() {\n    start();\n    proccess(item);\n    stop();\n}", "void run() {\n    start();\n    process(all);\n    stop();\n}",
                        "void run() {\n    start();\n    process(all);\n    stop();\n}\n"),
                // doubled spaces inside a line
                Arguments.of("whitespace-normalised", "if (a  &&  b) {\n\treturn;\n}\n", "if (a && b) {", "if (a || b) {", "if (a || b) {\n\treturn;\n}\n"),
                // trimmed lines, anchors and whitespace all see two blocks; only relative indentation tells them apart
                Arguments.of("indentation-flexible", "if (a) {\n    go();\n}\nif (a) {\ngo();\n}\n", "  if (a) {\n      go();\n  }", "  if (a) {\n      go(1);\n  }",
                        "if (a) {\n    go(1);\n}\nif (a) {\ngo();\n}\n"),
                // the model escaped the line break twice
                Arguments.of("escape-normalised", "first\nsecond\n", "first\\nsecond", "first\nthird", "first\nthird\n"),
                // stray spaces around the snippet; whitespace-normalised matches both lines, the trimmed text only one
                Arguments.of("trimmed-boundary", "x = a  b;\ny = a b;\n", " a b ", " a c ", "x = a  b;\ny = a c;\n"),
                // half the middle lines rewritten beyond recognition, anchors and the rest pin the block
                Arguments.of("context-aware", "start {\n    keep1();\n    aaaaaaaaaaaaaaaaaaaa\n    keep2();\n    bbbbbbbbbbbbbbbbbbbb\n}\n",
                        "start {\n    keep1();\n    zzzzzzzzzzzzzzzzzzzz\n    keep2();\n    yyyyyyyyyyyyyyyyyyyy\n}", "start {\n    keep1();\n    keep2();\n}",
                        "start {\n    keep1();\n    keep2();\n}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyThisMatcherAndLaterOnesSolveTheCase(String name, String text, String oldString, String newString, String expected) {
        List<String> order = MatcherChain.MATCHERS.stream().map(Matcher::name).toList();
        int index = order.indexOf(name);
        assertThat(index).as("matcher %s is in the chain", name).isNotNegative();
        for (Matcher earlier : MatcherChain.MATCHERS.subList(0, index)) {
            assertThat(earlier.find(text, oldString, newString).size()).as("%s must not single out one place", earlier.name()).isNotEqualTo(1);
        }
        List<Match> own = MatcherChain.MATCHERS.get(index).find(text, oldString, newString);
        assertThat(own).hasSize(1);
        assertThat(MatcherChain.replace(text, oldString, newString, false)).isEqualTo(new MatcherChain.Outcome.Replaced(expected, 1, name));
    }

    @Test
    void theChainHasEveryMatcherInTheDocumentedOrder() {
        assertThat(MatcherChain.MATCHERS).extracting(Matcher::name).containsExactly("exact", "trimmed-lines", "block-anchors",
                "whitespace-normalised", "indentation-flexible", "escape-normalised", "trimmed-boundary", "context-aware");
    }

    @Test
    void indentationFlexibleMovesTheReplacementToTheFoundDepthKeepingItsNesting() {
        String text = "class A {\n        if (x) {\n            y();\n        }\n}\n";
        List<Match> m = new IndentationFlexibleMatcher().find(text, "if (x) {\n    y();\n}", "if (x) {\n    y();\n    z();\n}");
        assertThat(m).singleElement().extracting(Match::replacement).isEqualTo("        if (x) {\n            y();\n            z();\n        }");
        // the chain (trimmed-lines wins here) gives the same indentation line by line
        var r = (MatcherChain.Outcome.Replaced) MatcherChain.replace(text, "if (x) {\n    y();\n}", "if (x) {\n    y();\n    z();\n}", false);
        assertThat(r.text()).isEqualTo("class A {\n        if (x) {\n            y();\n            z();\n        }\n}\n");
    }

    @Test
    void aTrailingNewlineInOldStringTakesTheLineWithIt() {
        var r = (MatcherChain.Outcome.Replaced) MatcherChain.replace("a\n  drop me  \nb\n", "drop me\n", "", false);
        assertThat(r.text()).isEqualTo("a\nb\n");
        assertThat(r.matcher()).isEqualTo("trimmed-lines");
    }

    @Test
    void severalPlacesEverywhereIsAmbiguousWithTheCount() {
        assertThat(MatcherChain.replace("x();\ny();\nx();\nx();\n", "x();", "z();", false)).isEqualTo(new MatcherChain.Outcome.Ambiguous(3));
    }

    @Test
    void replaceAllChangesEveryExactOccurrence() {
        assertThat(MatcherChain.replace("foo bar foo\nfoo\n", "foo", "baz", true)).isEqualTo(new MatcherChain.Outcome.Replaced("baz bar baz\nbaz\n", 3, "exact"));
    }

    @Test
    void notFoundShowsTheClosestLinesNumbered() {
        var outcome = MatcherChain.replace("alpha\nint total = count + 1;\nomega\n", "int totl = count + 2;", "x", false);
        assertThat(outcome).isInstanceOf(MatcherChain.Outcome.NotFound.class);
        assertThat(((MatcherChain.Outcome.NotFound) outcome).closest()).contains("     2\tint total = count + 1;").contains("     1\talpha");
        assertThat(MatcherChain.replace("alpha\n", "something else entirely", "x", false)).isEqualTo(new MatcherChain.Outcome.NotFound(""));
    }

    @Test
    void blockAnchorsRefusesAWeakMiddle() {
        String text = "begin\n    one();\n    two();\nend\n";
        assertThat(new BlockAnchorMatcher().find(text, "begin\n    xyzzy_totally();\n    different_here();\nend", "")).isEmpty();
        assertThat(BlockAnchorMatcher.middleSimilarity(List.of("abc"), List.of("abc"))).isEqualTo(1.0);
    }

    @Test
    void escapesAreDecoded() {
        assertThat(EscapeNormalisedMatcher.unescape("a\\n\\t\\\"b\\\"\\'c\\'\\\\d\\q")).isEqualTo("a\n\t\"b\"'c'\\d\\q");
    }
}
