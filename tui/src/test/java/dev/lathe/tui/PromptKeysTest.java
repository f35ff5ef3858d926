package dev.lathe.tui;

import dev.lathe.protocol.api.Delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.PromptEffect.Elsewhere;
import dev.lathe.tui.input.History;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.Keybindings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt's reducer as a user types, without a terminal or a server: each key gives the next state and what the
 * UI's loop does next, with the default key bindings.
 */
class PromptKeysTest {
    private static final KeyEvent ENTER = KeyEvent.Special.of(KeyEvent.Name.ENTER);
    private static final KeyEvent ESC = KeyEvent.Special.of(KeyEvent.Name.ESCAPE);
    private static final KeyEvent CTRL_C = KeyEvent.Ctrl.of('c');
    private static final KeyEvent CTRL_D = KeyEvent.Ctrl.of('d');
    private static final KeyEvent UP = KeyEvent.Special.of(KeyEvent.Name.UP);
    private static final KeyEvent BACKSPACE = KeyEvent.Special.of(KeyEvent.Name.BACKSPACE);

    private final Keybindings bindings = Keybindings.defaults();
    @TempDir
    Path home;

    private static PromptKeys.Facts idle(long now) { return new PromptKeys.Facts(false, false, false, false, true, now); }

    private static PromptKeys.Facts busy(long now) { return new PromptKeys.Facts(true, false, false, false, true, now); }

    private PromptKeys reducer() { return new PromptKeys(new History(home.resolve("history"))); }

    private PromptKeys.Step press(PromptKeys keys, PromptState state, KeyEvent key, PromptKeys.Facts facts) {
        return keys.on(state, key, bindings.actionFor(key), facts);
    }

    private PromptState type(PromptKeys keys, PromptState state, String text) {
        for (int cp : text.codePoints().toArray()) {
            PromptKeys.Step step = press(keys, state, KeyEvent.Char.of(cp), idle(0));
            assertThat(step.effects()).isEmpty();
            state = step.state();
        }
        return state;
    }

    @Test
    void typingFillsTheInputAndLeavesTheStateBeforeAsItWas() {
        var keys = reducer();
        PromptState before = type(keys, PromptState.empty(), "fix the bug");
        PromptState after = press(keys, before, BACKSPACE, idle(0)).state();

        assertThat(before.text()).isEqualTo("fix the bug");
        assertThat(after.text()).isEqualTo("fix the bu");
        assertThat(press(keys, after, new KeyEvent.Paste("g\nnow"), idle(0)).state().text()).isEqualTo("fix the bug\nnow");
    }

    @Test
    void escEscOnAnEmptyPromptBetweenTurnsOpensTheRewindPickerAndAnotherKeyBetweenCancelsIt() {
        var keys = reducer();
        PromptKeys.Step first = press(keys, PromptState.empty(), ESC, idle(0));
        assertThat(first.effects()).isEmpty();
        assertThat(first.state().hint()).isEqualTo(PromptKeys.AGAIN_TO_REWIND);

        PromptKeys.Step second = press(keys, first.state(), ESC, idle(0));
        assertThat(second.effects()).containsExactly(new PromptEffect.Open(PromptEffect.Elsewhere.REWIND));
        assertThat(second.state().hint()).isEmpty();

        PromptState typedBetween = type(keys, first.state(), "x");
        assertThat(typedBetween.hint()).isEmpty();
        assertThat(press(keys, typedBetween, ESC, idle(0)).effects()).as("text in the input: esc is not a rewind").isEmpty();
        assertThat(press(keys, PromptState.empty(), ESC, busy(0)).effects()).as("a running turn: esc stops it").containsExactly(new PromptEffect.Abort());
    }

    @Test
    void enterSendsThePromptClearsTheInputAndRemembersIt() {
        var keys = reducer();
        PromptState typed = type(keys, PromptState.empty().withHint("local-only: 1 connection blocked"), "hello");

        PromptKeys.Step step = press(keys, typed, ENTER, idle(0));

        assertThat(step.state().isEmpty()).isTrue();
        assertThat(step.state().hint()).isEmpty();
        assertThat(step.effects()).containsExactly(new PromptEffect.Remember("hello"), new PromptEffect.CloseCompletion(),
                new PromptEffect.SendPrompt("hello", Delivery.steer));
        // the remembered prompt comes back with the up arrow
        keys = new PromptKeys(historyWith("hello"));
        assertThat(press(keys, step.state(), UP, idle(0)).state().text()).isEqualTo("hello");
    }

    @Test
    void aSlashLineRunsAsACommandAndTwoSlashesSendTheSlash() {
        var keys = reducer();
        assertThat(keys.submit(PromptState.empty().withText("/sessions"), idle(0)).effects()).last().isEqualTo(new PromptEffect.RunCommand("/sessions"));
        assertThat(keys.submit(PromptState.empty().withText("//etc is a folder"), idle(0)).effects()).last()
                .isEqualTo(new PromptEffect.SendPrompt("/etc is a folder", Delivery.steer));
    }

    /** DESIGN §27: "!cmd" runs cmd as the user's own shell command; "!" alone stays a message. */
    @Test
    void aBangLineRunsAsTheUsersShellCommand() {
        var keys = reducer();
        assertThat(keys.submit(PromptState.empty().withText("! git status "), idle(0)).effects()).last().isEqualTo(new PromptEffect.RunShell("git status"));
        assertThat(keys.submit(PromptState.empty().withText("!"), idle(0)).effects()).last().isEqualTo(new PromptEffect.SendPrompt("!", Delivery.steer));
    }

    @Test
    void aBlankInputSendsNothingAndADisconnectedOneKeepsTheText() {
        var keys = reducer();
        assertThat(keys.submit(PromptState.empty().withText("  \n"), idle(0)).effects()).isEmpty();

        var offline = new PromptKeys.Facts(false, false, false, false, false, 0);
        PromptKeys.Step step = keys.submit(PromptState.empty().withText("still here"), offline);
        assertThat(step.effects()).isEmpty();
        assertThat(step.state().text()).isEqualTo("still here");
        assertThat(step.state().hint()).startsWith("not connected");
    }

    @Test
    void enterOnAStoppedServerStartsItAgainKeepingTheText() {
        var stopped = new PromptKeys.Facts(false, false, false, true, false, 0);
        PromptKeys.Step step = reducer().submit(PromptState.empty().withText("later"), stopped);
        assertThat(step.effects()).containsExactly(new PromptEffect.RestartServer());
        assertThat(step.state().text()).isEqualTo("later");
    }

    @Test
    void theKeyForConnectIsSavedAndNeverRemembered() {
        var taking = new PromptKeys.Facts(false, false, true, false, true, 0);
        PromptKeys.Step step = reducer().submit(PromptState.empty().withText("sk-secret"), taking);
        assertThat(step.effects()).containsExactly(new PromptEffect.SaveKey("sk-secret"));
        assertThat(step.state().isEmpty()).isTrue();

        PromptKeys.Step cancelled = press(reducer(), PromptState.empty().withText("sk-sec"), ESC, taking);
        assertThat(cancelled.effects()).containsExactly(new PromptEffect.CancelKey());
        assertThat(cancelled.state().isEmpty()).isTrue();
    }

    @Test
    void ctrlCStopsTheTurnThenASecondPressExits() {
        var keys = reducer();
        PromptKeys.Step first = press(keys, PromptState.empty(), CTRL_C, busy(10_000));
        assertThat(first.effects()).containsExactly(new PromptEffect.Abort());
        assertThat(first.state().hint()).isEqualTo("ctrl+c again to exit");

        var aborting = new PromptKeys.Facts(true, true, false, false, true, 11_000);
        assertThat(press(keys, first.state(), CTRL_C, aborting).effects()).containsExactly(new PromptEffect.Exit());
    }

    @Test
    void ctrlCClearsTypedTextBeforeItExitsAndTheHintLastsUntilAnotherKey() {
        var keys = reducer();
        PromptKeys.Step cleared = press(keys, PromptState.empty().withText("draft"), CTRL_C, idle(1_000));
        assertThat(cleared.state().isEmpty()).isTrue();
        assertThat(cleared.effects()).containsExactly(new PromptEffect.CloseCompletion());

        PromptKeys.Step once = press(keys, cleared.state(), CTRL_C, idle(2_000));
        assertThat(once.effects()).isEmpty();
        assertThat(once.state().hint()).isEqualTo("ctrl+c again to exit");
        // too late for a double press: the hint again, no exit
        assertThat(press(keys, once.state(), CTRL_C, idle(2_000 + PromptKeys.DOUBLE_PRESS_MILLIS)).effects()).isEmpty();
        assertThat(press(keys, once.state(), KeyEvent.Char.of('x'), idle(2_100)).state().hint()).isEmpty();
    }

    @Test
    void escapeStopsABusyTurnOnlyAndCtrlDExitsOnAnEmptyInput() {
        var keys = reducer();
        assertThat(press(keys, PromptState.empty(), ESC, busy(0)).effects()).containsExactly(new PromptEffect.Abort());
        assertThat(press(keys, PromptState.empty(), ESC, idle(0)).effects()).isEmpty();
        assertThat(press(keys, PromptState.empty(), CTRL_D, idle(0)).effects()).containsExactly(new PromptEffect.Exit());
        PromptState typed = PromptState.empty().withText("ab").edited(e -> e.moveLeft());
        PromptKeys.Step deleted = press(keys, typed, CTRL_D, idle(0));
        assertThat(deleted.effects()).isEmpty();
        assertThat(deleted.state().text()).isEqualTo("a");
    }

    @Test
    void keysBoundOutsideThePromptAreHandedToTheLoop() {
        assertThat(press(reducer(), PromptState.empty(), KeyEvent.Ctrl.of('o'), idle(0)).effects())
                .containsExactly(new PromptEffect.Open(Elsewhere.TRANSCRIPT));
        assertThat(press(reducer(), PromptState.empty(), KeyEvent.Special.of(KeyEvent.Name.TAB), idle(0)).effects())
                .isEqualTo(List.of(new PromptEffect.Open(Elsewhere.NEXT_AGENT)));
    }

    @Test
    void whileTheAgentWorksEnterSteersAndTabQueuesTheMessage() {
        var keys = reducer();
        PromptState typed = PromptState.empty().withText("also check the tests");
        KeyEvent tab = KeyEvent.Special.of(KeyEvent.Name.TAB);
        assertThat(press(keys, typed, ENTER, busy(0)).effects()).last().isEqualTo(new PromptEffect.SendPrompt("also check the tests", Delivery.steer));
        PromptKeys.Step queued = press(keys, typed, tab, busy(0));
        assertThat(queued.effects()).last().isEqualTo(new PromptEffect.SendPrompt("also check the tests", Delivery.queue));
        assertThat(queued.state().isEmpty()).isTrue();
        // with nothing typed, or with no turn running, Tab still switches the agent
        assertThat(press(keys, PromptState.empty(), tab, busy(0)).effects()).containsExactly(new PromptEffect.Open(Elsewhere.NEXT_AGENT));
        assertThat(press(keys, typed, tab, idle(0)).effects()).containsExactly(new PromptEffect.Open(Elsewhere.NEXT_AGENT));
    }

    private History historyWith(String entry) {
        var h = new History(home.resolve("history"));
        h.add(entry);
        return h;
    }
}
