package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.input.CompletionQuery.Command;
import dev.lathe.tui.input.CompletionQuery.File;
import org.junit.jupiter.api.Test;

class LineEditorTest {
    private final LineEditor e = new LineEditor();

    /** The buffer with {@code |} at the cursor. */
    private String state() {
        String b = e.buffer();
        return b.substring(0, e.cursor()) + "|" + b.substring(e.cursor());
    }

    /** Puts {@code text} in the editor with the cursor where {@code |} is. */
    private void given(String text) {
        int at = text.indexOf('|');
        e.setText(text.replace("|", ""));
        while (e.cursor() > at) e.moveLeft();
    }

    @Test
    void insertsTypedTextAndNewlinesAtTheCursor() {
        e.insert("hello");
        e.newline();
        e.insert("world");
        e.moveLeft();
        e.moveLeft();
        e.insert("--");
        assertThat(state()).isEqualTo("hello\nwor--|ld");
        assertThat(e.text()).isEqualTo("hello\nwor--ld");
        assertThat(e.isEmpty()).isFalse();
    }

    @Test
    void normalisesLineEndsAndDropsControlCharacters() {
        e.insert("a\r\nb\rc\u001b[31m\u0007\td\u009b\ufdd0");
        assertThat(e.text()).isEqualTo("a\nb\nc[31m\td");
    }

    @Test
    void movesAndDeletesWholeCodePoints() {
        e.insert("a😀b");
        e.moveLeft();
        e.moveLeft();
        assertThat(e.cursor()).isEqualTo(1);
        e.moveRight();
        e.deleteBackward();
        assertThat(state()).isEqualTo("a|b");
        e.insert("日😀");
        e.moveLeft();
        e.deleteForward();
        assertThat(state()).isEqualTo("a日|b");
        e.lineStart();
        e.deleteBackward();
        e.moveLeft();
        assertThat(state()).isEqualTo("|a日b");
        e.lineEnd();
        e.deleteForward();
        assertThat(state()).isEqualTo("a日b|");
    }

    @Test
    void wordMotionStopsAtWordsAndPunctuationRuns() {
        given("git commit -m 'fix: src/Main.java'|");
        e.wordLeft();
        assertThat(state()).as("a punctuation run is a word of its own").isEqualTo("git commit -m 'fix: src/Main.java|'");
        e.wordLeft();
        assertThat(state()).isEqualTo("git commit -m 'fix: src/Main.|java'");
        e.wordLeft();
        e.wordLeft();
        assertThat(state()).isEqualTo("git commit -m 'fix: src/|Main.java'");
        e.lineStart();
        e.wordRight();
        e.wordRight();
        assertThat(state()).isEqualTo("git commit| -m 'fix: src/Main.java'");
        e.wordRight();
        assertThat(state()).isEqualTo("git commit -|m 'fix: src/Main.java'");
    }

    @Test
    void deletesWordsBackwardAndForward() {
        given("hello big  world|");
        e.deleteWordBackward();
        assertThat(state()).isEqualTo("hello big  |");
        e.deleteWordBackward();
        assertThat(state()).isEqualTo("hello |");
        given("say |hello world");
        e.deleteWordForward();
        assertThat(state()).isEqualTo("say | world");
        given("one\n|two");
        e.deleteWordBackward();
        assertThat(state()).isEqualTo("|two");
    }

    @Test
    void killsToTheEndAndStartOfTheLineAndJoinsAtTheEdges() {
        given("first\nsec|ond\nthird");
        e.killToEnd();
        assertThat(state()).isEqualTo("first\nsec|\nthird");
        e.killToEnd();
        assertThat(state()).isEqualTo("first\nsec|third");
        e.killToStart();
        assertThat(state()).isEqualTo("first\n|third");
        e.killToStart();
        assertThat(state()).isEqualTo("first|third");
    }

    @Test
    void movesBetweenLinesKeepingTheColumnAndReportsTheEdges() {
        given("abcdef\nab\nabcdef|");
        e.moveLeft();
        assertThat(e.moveDown()).isFalse();
        assertThat(e.moveUp()).isTrue();
        assertThat(state()).isEqualTo("abcdef\nab|\nabcdef");
        assertThat(e.moveUp()).isTrue();
        assertThat(state()).as("the goal column survives the short line").isEqualTo("abcde|f\nab\nabcdef");
        assertThat(e.moveUp()).isFalse();
        assertThat(state()).isEqualTo("abcde|f\nab\nabcdef");
        assertThat(e.moveDown()).isTrue();
        assertThat(e.moveDown()).isTrue();
        assertThat(state()).isEqualTo("abcdef\nab\nabcde|f");
    }

    @Test
    void verticalMovesCountDisplayColumnsAndNeverLandInsideAWideChar() {
        given("日本語\nabcde|");
        e.moveLeft();
        e.moveLeft();
        assertThat(e.moveUp()).isTrue();
        assertThat(state()).as("column 3 falls inside 本: stop before it").isEqualTo("日|本語\nabcde");
        assertThat(e.moveDown()).isTrue();
        assertThat(state()).as("back to the goal column 3").isEqualTo("日本語\nabc|de");
    }

    @Test
    void setTextPutsTheCursorAtTheEndAndClearEmpties() {
        e.setText("line one\nline two");
        assertThat(e.cursor()).isEqualTo(17);
        e.clear();
        assertThat(e.isEmpty()).isTrue();
        assertThat(e.text()).isEmpty();
        assertThat(e.cursor()).isZero();
    }

    @Test
    void shortPastesAreTypedTextAndLongOnesBecomePlaceholdersExpandedOnSubmission() {
        e.insert("see ");
        e.insertPaste("short\r\npaste");
        assertThat(e.display()).isEqualTo("see short\npaste");

        String log = "l1\nl2\nl3\nl4\nl5\nl6\n";
        e.clear();
        e.insert("look: ");
        e.insertPaste(log);
        e.insert(" and ");
        e.insertPaste("x".repeat(1001));
        e.insert(" ok");
        assertThat(e.display()).isEqualTo("look: [Pasted text #1 +6 lines] and [Pasted text #2 +1 line] ok");
        assertThat(e.text()).isEqualTo("look: " + log + " and " + "x".repeat(1001) + " ok");
        assertThat(e.submission()).isEqualTo(e.text());
    }

    @Test
    void exactlyFiveLinesOrAThousandCharsStayText() {
        e.insertPaste("1\n2\n3\n4\n5");
        e.insertPaste("y".repeat(1000 - 9));
        assertThat(e.display()).doesNotContain("[Pasted");
    }

    @Test
    void aPlaceholderIsDeletedWholeAndMovedOverAsOneUnit() {
        e.insert("a");
        e.insertPaste("1\n2\n3\n4\n5\n6");
        e.insert("b");
        e.moveLeft();
        e.deleteBackward();
        assertThat(e.display()).isEqualTo("ab");
        assertThat(e.text()).isEqualTo("ab");

        e.setText("a ");
        e.insertPaste("1\n2\n3\n4\n5\n6");
        e.wordLeft();
        assertThat(e.cursor()).isEqualTo(2);
        e.wordRight();
        assertThat(e.cursor()).isEqualTo(3);
        e.deleteWordBackward();
        assertThat(e.display()).isEqualTo("a ");
    }

    @Test
    void placeholderNumberingRestartsAfterClear() {
        e.insertPaste("1\n2\n3\n4\n5\n6");
        e.clear();
        e.insertPaste("1\n2\n3\n4\n5\n6\n7");
        assertThat(e.display()).isEqualTo("[Pasted text #1 +7 lines]");
    }

    @Test
    void submissionDropsSurroundingBlankLinesButKeepsIndentation() {
        e.setText("\n\n  indented\n  code  \n\n");
        assertThat(e.submission()).isEqualTo("  indented\n  code");
    }

    @Test
    void fileQueriesComeFromTheAtWordAtTheCursor() {
        given("look at @src/Ma|in.java please");
        assertThat(e.completionQuery()).contains(new File("src/Ma", 8, 22));
        given("look at @|");
        assertThat(e.completionQuery()).contains(new File("", 8, 9));
        given("mail me@example.com|");
        assertThat(e.completionQuery()).isEmpty();
        given("look at |@src");
        assertThat(e.completionQuery()).isEmpty();
        given("look at @src |");
        assertThat(e.completionQuery()).isEmpty();
        given("line\n@docs/|");
        assertThat(e.completionQuery()).contains(new File("docs/", 5, 11));
    }

    @Test
    void commandQueriesNeedTheCursorInTheFirstWordOfASlashLine() {
        given("/mo|");
        assertThat(e.completionQuery()).contains(new Command("mo", 0, 3));
        given("/|");
        assertThat(e.completionQuery()).contains(new Command("", 0, 1));
        given("/mo|del gpt");
        assertThat(e.completionQuery()).contains(new Command("mo", 0, 6));
        given("|/model");
        assertThat(e.completionQuery()).isEmpty();
        given("/model gpt|");
        assertThat(e.completionQuery()).isEmpty();
        given("/review @sr|");
        assertThat(e.completionQuery()).contains(new File("sr", 8, 11));
        given("hi /mo|");
        assertThat(e.completionQuery()).isEmpty();
    }

    @Test
    void replaceAcceptsACompletionWithoutDoublingTheSpace() {
        given("see @sr| now");
        File q = (File) e.completionQuery().orElseThrow();
        e.replace(q.start(), q.end(), "@src/Main.java ");
        assertThat(state()).isEqualTo("see @src/Main.java |now");

        given("/mo|");
        Command c = (Command) e.completionQuery().orElseThrow();
        e.replace(c.start(), c.end(), "/model ");
        assertThat(state()).isEqualTo("/model |");
    }
}
