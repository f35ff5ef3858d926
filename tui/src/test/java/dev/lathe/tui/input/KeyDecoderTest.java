package dev.lathe.tui.input;

import static dev.lathe.tui.input.ScriptedSource.PAUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tui.input.KeyEvent.Char;
import dev.lathe.tui.input.KeyEvent.Ctrl;
import dev.lathe.tui.input.KeyEvent.Modifier;
import dev.lathe.tui.input.KeyEvent.Name;
import dev.lathe.tui.input.KeyEvent.Paste;
import dev.lathe.tui.input.KeyEvent.Special;
import dev.lathe.tui.input.KeyEvent.Unknown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.NonBlocking;
import org.jline.utils.NonBlockingPumpReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

class KeyDecoderTest {
    private static final String ESC = "\u001b";

    /** Every event in {@code parts}, decoded until the end of input. */
    private static List<KeyEvent> decode(Object... parts) {
        var decoder = new KeyDecoder(ScriptedSource.of(parts));
        var out = new ArrayList<KeyEvent>();
        for (Optional<KeyEvent> e = decoder.next(); e.isPresent(); e = decoder.next()) out.add(e.get());
        return out;
    }

    private static KeyEvent one(String input) {
        List<KeyEvent> events = decode(input);
        assertThat(events).as("events of %s", input.replace(ESC, "ESC")).hasSize(1);
        return events.getFirst();
    }

    static List<Arguments> sequences() {
        return List.of(
                Arguments.of("\r", Special.of(Name.ENTER)),
                Arguments.of("\n", Ctrl.of('j')),
                Arguments.of("\t", Special.of(Name.TAB)),
                Arguments.of(ESC + "[Z", Special.of(Name.TAB, Modifier.SHIFT)),
                Arguments.of("\u007f", Special.of(Name.BACKSPACE)),
                Arguments.of("\b", Special.of(Name.BACKSPACE)),
                Arguments.of("\u0003", Ctrl.of('c')),
                Arguments.of("\u0001", Ctrl.of('a')),
                Arguments.of("\u001a", Ctrl.of('z')),
                Arguments.of("\u0000", Ctrl.of(' ')),
                Arguments.of("\u001f", Ctrl.of('_')),
                Arguments.of(ESC + "[13;2u", Special.of(Name.ENTER, Modifier.SHIFT)),
                Arguments.of(ESC + "[27;2;13~", Special.of(Name.ENTER, Modifier.SHIFT)),
                Arguments.of(ESC + "\r", Special.of(Name.ENTER, Modifier.ALT)),
                Arguments.of(ESC + "\u007f", Special.of(Name.BACKSPACE, Modifier.ALT)),
                Arguments.of(ESC + "[13;5u", Special.of(Name.ENTER, Modifier.CTRL)),
                Arguments.of(ESC + "[97;5u", Ctrl.of('a')),
                Arguments.of(ESC + "[99;7u", Ctrl.withAlt('c')),
                Arguments.of(ESC + "[27;5;106~", Ctrl.of('j')),
                Arguments.of(ESC + "[97;3u", Char.withAlt('a')),
                Arguments.of(ESC + "[127;5u", Special.of(Name.BACKSPACE, Modifier.CTRL)),
                Arguments.of(ESC + "[27u", Special.of(Name.ESCAPE)),
                Arguments.of(ESC + "[A", Special.of(Name.UP)),
                Arguments.of(ESC + "[B", Special.of(Name.DOWN)),
                Arguments.of(ESC + "[C", Special.of(Name.RIGHT)),
                Arguments.of(ESC + "[D", Special.of(Name.LEFT)),
                Arguments.of(ESC + "OA", Special.of(Name.UP)),
                Arguments.of(ESC + "OB", Special.of(Name.DOWN)),
                Arguments.of(ESC + "OC", Special.of(Name.RIGHT)),
                Arguments.of(ESC + "OD", Special.of(Name.LEFT)),
                Arguments.of(ESC + "OH", Special.of(Name.HOME)),
                Arguments.of(ESC + "OF", Special.of(Name.END)),
                Arguments.of(ESC + "OM", Special.of(Name.ENTER)),
                Arguments.of(ESC + "OP", Special.of(Name.F1)),
                Arguments.of(ESC + "O5D", Special.of(Name.LEFT, Modifier.CTRL)),
                Arguments.of(ESC + "[1;5D", Special.of(Name.LEFT, Modifier.CTRL)),
                Arguments.of(ESC + "[1;5C", Special.of(Name.RIGHT, Modifier.CTRL)),
                Arguments.of(ESC + "[1;3C", Special.of(Name.RIGHT, Modifier.ALT)),
                Arguments.of(ESC + "[1;3D", Special.of(Name.LEFT, Modifier.ALT)),
                Arguments.of(ESC + "[1;2A", Special.of(Name.UP, Modifier.SHIFT)),
                Arguments.of(ESC + "[1;8B", Special.of(Name.DOWN, Modifier.SHIFT, Modifier.ALT, Modifier.CTRL)),
                Arguments.of(ESC + "[3~", Special.of(Name.DELETE)),
                Arguments.of(ESC + "[3;5~", Special.of(Name.DELETE, Modifier.CTRL)),
                Arguments.of(ESC + "[2~", Special.of(Name.INSERT)),
                Arguments.of(ESC + "[H", Special.of(Name.HOME)),
                Arguments.of(ESC + "[F", Special.of(Name.END)),
                Arguments.of(ESC + "[1~", Special.of(Name.HOME)),
                Arguments.of(ESC + "[4~", Special.of(Name.END)),
                Arguments.of(ESC + "[7~", Special.of(Name.HOME)),
                Arguments.of(ESC + "[8~", Special.of(Name.END)),
                Arguments.of(ESC + "[1;5H", Special.of(Name.HOME, Modifier.CTRL)),
                Arguments.of(ESC + "[5~", Special.of(Name.PAGE_UP)),
                Arguments.of(ESC + "[6~", Special.of(Name.PAGE_DOWN)),
                Arguments.of(ESC + "[15~", Special.of(Name.F5)),
                Arguments.of(ESC + "[24~", Special.of(Name.F12)),
                Arguments.of(ESC + "[1;2P", Special.of(Name.F1, Modifier.SHIFT)),
                Arguments.of("a", Char.of('a')),
                Arguments.of("é", Char.of('é')),
                Arguments.of("日", Char.of('日')),
                Arguments.of("😀", Char.of(0x1F600)),
                Arguments.of(ESC + "b", Char.withAlt('b')),
                Arguments.of(ESC + "B", Char.withAlt('B')),
                Arguments.of(ESC + "\u0001", Ctrl.withAlt('a')),
                Arguments.of(ESC + "😀", Char.withAlt(0x1F600)));
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void decodesEachSequence(String input, KeyEvent expected) {
        assertThat(one(input)).isEqualTo(expected);
    }

    @Test
    void loneEscapeAfterTheTimeoutIsEscapeButEscapeThenALetterIsAlt() {
        assertThat(decode(ESC, PAUSE, "b")).containsExactly(Special.of(Name.ESCAPE), Char.of('b'));
        assertThat(decode(ESC + "b")).containsExactly(Char.withAlt('b'));
        assertThat(decode(ESC)).containsExactly(Special.of(Name.ESCAPE));
    }

    @Test
    void doubleEscapeIsTwoEscapes() {
        assertThat(decode(ESC + ESC)).containsExactly(Special.of(Name.ESCAPE), Special.of(Name.ESCAPE));
        assertThat(decode(ESC + ESC + "[A")).containsExactly(Special.of(Name.ESCAPE), Special.of(Name.UP));
    }

    @Test
    void escapeBracketAloneIsAltBracket() {
        assertThat(decode(ESC + "[", PAUSE, "x")).containsExactly(Char.withAlt('['), Char.of('x'));
        assertThat(decode(ESC + "O", PAUSE, "x")).containsExactly(Char.withAlt('O'), Char.of('x'));
    }

    @Test
    void bracketedPasteArrivesAsOnePasteWithLineEndingsNormalised() {
        String body = "first line\r\nsecond\rthird\n\tindented [x] ~ 201";
        assertThat(decode("a" + ESC + "[200~" + body + ESC + "[201~" + "b"))
                .containsExactly(Char.of('a'), new Paste("first line\nsecond\nthird\n\tindented [x] ~ 201"), Char.of('b'));
    }

    @Test
    void pasteWithoutItsEndMarkerIsDeliveredAfterTheTimeout() {
        var decoder = new KeyDecoder(ScriptedSource.open(ESC + "[200~half a paste"));
        assertThat(decoder.next()).contains(new Paste("half a paste"));
    }

    @Test
    void truncatedSequencesBecomeUnknownWithoutBlockingOrLeakingText() {
        var decoder = new KeyDecoder(ScriptedSource.open(ESC + "[1;"));
        assertThat(decoder.next()).contains(new Unknown(ESC + "[1;"));
        assertThatThrownBy(decoder::next).hasMessageContaining("blocking read");

        var ss3 = new KeyDecoder(ScriptedSource.open(ESC + "O5"));
        assertThat(ss3.next()).contains(new Unknown(ESC + "O5"));
    }

    @Test
    void unknownSequencesAreSwallowedWhole() {
        assertThat(decode(ESC + "[?1;2c" + "x")).containsExactly(new Unknown(ESC + "[?1;2c"), Char.of('x'));
        assertThat(decode(ESC + "[99~x")).containsExactly(new Unknown(ESC + "[99~"), Char.of('x'));
        assertThat(decode(ESC + "[<0;10;5M")).containsExactly(new Unknown(ESC + "[<0;10;5M"));
        assertThat(decode(ESC + "[57399u")).containsExactly(new Unknown(ESC + "[57399u"));
        String longSequence = ESC + "[" + "1;".repeat(100) + "m";
        assertThat(decode(longSequence + "z")).hasSize(2).last().isEqualTo(Char.of('z'));
    }

    @Test
    void aControlByteInsideASequenceEndsItAndCountsAsAKey() {
        assertThat(decode(ESC + "[1\r")).containsExactly(new Unknown(ESC + "[1"), Special.of(Name.ENTER));
    }

    @Test
    void strayHalvesOfSurrogatePairsAndC1BytesAreUnknown() {
        assertThat(decode("\ud83d", PAUSE, "a")).containsExactly(new Unknown("\ud83d"), Char.of('a'));
        assertThat(decode("\ude00")).containsExactly(new Unknown("\ude00"));
        assertThat(decode("\u009b")).containsExactly(new Unknown("\u009b"));
    }

    @Test
    void adaptsJLinesNonBlockingReaderWithAMethodReference() throws Exception {
        NonBlockingPumpReader pump = NonBlocking.nonBlockingPumpReader();
        var decoder = new KeyDecoder(pump::read);
        pump.getWriter().write(ESC + "[Ax" + ESC);
        pump.getWriter().flush();
        assertThat(decoder.next()).contains(Special.of(Name.UP));
        assertThat(decoder.next()).contains(Char.of('x'));
        assertThat(decoder.next()).as("a real timeout: nothing follows the ESC").contains(Special.of(Name.ESCAPE));
        pump.close();
        assertThat(decoder.next()).as("a closed reader ends the input").isEmpty();

        NonBlockingPumpReader ended = NonBlocking.nonBlockingPumpReader();
        ended.getWriter().close();
        assertThat(new KeyDecoder(ended::read).next()).as("the writer closed: end of input").isEmpty();
    }

    @Test
    void otherSourceFailuresSurfaceAsUncheckedIOExceptions() {
        var decoder = new KeyDecoder(timeout -> { throw new java.io.IOException("tty gone"); });
        assertThatThrownBy(decoder::next).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("tty gone");
    }

    @Test
    void endOfInputEndsTheStream() {
        var decoder = new KeyDecoder(ScriptedSource.of("x"));
        assertThat(decoder.next()).contains(Char.of('x'));
        assertThat(decoder.next()).isEmpty();
        assertThat(decoder.next()).isEmpty();
    }

    @Test
    void aReadPausedFarPastItsTimeoutAsksAgainBeforeCallingItALoneEscape() {
        // the rest of PageUp's sequence is already sent, but the first timed read after ESC returns only after a pause
        // of this process (a collection on a loaded machine) with nothing: that is not the terminal's silence
        var rest = new java.util.ArrayDeque<>(List.of((int) '[', (int) '5', (int) '~'));
        var pausedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        var sent = new java.util.ArrayDeque<>(List.of(0x1b));
        CharSource source = timeout -> {
            if (!sent.isEmpty()) return sent.pop();
            if (timeout > 0 && pausedOnce.compareAndSet(false, true)) {
                sleep(timeout + 150);
                return CharSource.TIMEOUT;
            }
            return rest.isEmpty() ? CharSource.EOF : rest.pop();
        };
        var decoder = new KeyDecoder(source);
        assertThat(decoder.next()).contains(Special.of(Name.PAGE_UP));
        assertThat(decoder.next()).isEmpty();
    }

    @Test
    void silenceWithinTheTimeoutAfterEscapeIsStillALoneEscape() {
        var decoder = new KeyDecoder(ScriptedSource.of(ESC, PAUSE, "x"));
        assertThat(decoder.next()).contains(Special.of(Name.ESCAPE));
        assertThat(decoder.next()).contains(Char.of('x'));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
