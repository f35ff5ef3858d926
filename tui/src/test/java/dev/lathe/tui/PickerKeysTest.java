package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.Session;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The pickers (model, agent, sessions) and the transcript view's keys, without a terminal. */
class PickerKeysTest {
    private static final KeyEvent ENTER = KeyEvent.Special.of(KeyEvent.Name.ENTER);
    private static final KeyEvent ESC = KeyEvent.Special.of(KeyEvent.Name.ESCAPE);
    private static final KeyEvent DOWN = KeyEvent.Special.of(KeyEvent.Name.DOWN);

    private final Keybindings keys = Keybindings.defaults();
    private final List<Object> chosen = new ArrayList<>();
    private Optional<PickerState> open;

    private List<PickerKeys.Effect> press(KeyEvent key) {
        PickerKeys.Step step = PickerKeys.on(open.orElseThrow(), key, keys.actionFor(key));
        open = step.state();
        return step.effects();
    }

    private void models() {
        open = Optional.of(PickerState.of(Picker.of("Model", "", List.of("anthropic/claude", "openai/gpt", "ollama/qwen"),
                Function.identity(), _ -> ""), chosen::add));
    }

    @Test
    void typingFiltersTheArrowsMoveAndEnterChoosesOnceThePickerIsClosed() {
        models();
        for (char c : "gpt".toCharArray()) assertThat(press(KeyEvent.Char.of(c))).isEmpty();
        assertThat(open).isPresent();
        var choice = (PickerKeys.Effect.Chosen) press(ENTER).getFirst();
        assertThat(open).as("closed before the choice runs, so a choice may open the next picker").isEmpty();
        assertThat(choice.value()).isEqualTo("openai/gpt");

        models();
        press(DOWN);
        press(DOWN);
        choice = (PickerKeys.Effect.Chosen) press(ENTER).getFirst();
        assertThat(choice.value()).isEqualTo("ollama/qwen");
    }

    @Test
    void escAndCtrlCCloseWithoutAChoice() {
        models();
        assertThat(press(ESC)).isEmpty();
        assertThat(open).isEmpty();
        models();
        assertThat(press(KeyEvent.Ctrl.of('c'))).isEmpty();
        assertThat(open).isEmpty();
        assertThat(chosen).isEmpty();
    }

    @Test
    void theSessionPickerMakesANewSessionOrForksTheHighlightedOneAndOtherPickersIgnoreThoseKeys() {
        Session first = SessionListTest.session("ses_1", Optional.empty(), 1, 2);
        Session second = SessionListTest.session("ses_2", Optional.empty(), 1, 1);
        open = Optional.of(PickerState.sessions(Picker.of("Sessions", "", List.of(first, second), Session::title, _ -> ""), chosen::add));
        press(DOWN);
        var fork = (PickerKeys.Effect.Fork) press(KeyEvent.Ctrl.of('f')).getFirst();
        assertThat(fork.session()).isEqualTo(second);
        assertThat(open).isEmpty();

        open = Optional.of(PickerState.sessions(Picker.of("Sessions", "", List.of(first), Session::title, _ -> ""), chosen::add));
        assertThat(press(KeyEvent.Ctrl.of('n'))).singleElement().isInstanceOf(PickerKeys.Effect.NewSession.class);

        models();
        assertThat(press(KeyEvent.Ctrl.of('n'))).isEmpty();
        assertThat(open).as("not the session picker: ctrl+n is no session choice").isPresent();
    }

    @Test
    void theTranscriptViewScrollsWithLessKeysAndClosesWithQEscOrCtrlO() {
        assertThat(pager(KeyEvent.Char.of('j'))).contains(new PagerKeys.Effect.Move(PagerKeys.Scroll.LINE_DOWN));
        assertThat(pager(KeyEvent.Char.of('G'))).contains(new PagerKeys.Effect.Move(PagerKeys.Scroll.END));
        assertThat(pager(KeyEvent.Char.of(' '))).contains(new PagerKeys.Effect.Move(PagerKeys.Scroll.PAGE_DOWN));
        assertThat(pager(KeyEvent.Special.of(KeyEvent.Name.PAGE_UP))).contains(new PagerKeys.Effect.Move(PagerKeys.Scroll.PAGE_UP));
        assertThat(pager(KeyEvent.Char.of('q'))).contains(new PagerKeys.Effect.Close());
        assertThat(pager(ESC)).contains(new PagerKeys.Effect.Close());
        assertThat(pager(KeyEvent.Ctrl.of('o'))).contains(new PagerKeys.Effect.Close());
        assertThat(pager(KeyEvent.Char.of('x'))).isEmpty();
    }

    private Optional<PagerKeys.Effect> pager(KeyEvent key) { return PagerKeys.on(key, keys.actionFor(key)); }
}
