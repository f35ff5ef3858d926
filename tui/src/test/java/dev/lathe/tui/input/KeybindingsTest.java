package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tui.input.KeyEvent.Char;
import dev.lathe.tui.input.KeyEvent.Ctrl;
import dev.lathe.tui.input.KeyEvent.Modifier;
import dev.lathe.tui.input.KeyEvent.Name;
import dev.lathe.tui.input.KeyEvent.Paste;
import dev.lathe.tui.input.KeyEvent.Special;
import dev.lathe.tui.input.KeyEvent.Unknown;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeybindingsTest {
    private final Keybindings defaults = Keybindings.defaults();

    /** What the decoder makes of {@code input}, then what it is bound to. */
    private Optional<Action> typed(Keybindings bindings, String input) {
        KeyEvent event = new KeyDecoder(ScriptedSource.of(input)).next().orElseThrow();
        return bindings.actionFor(event);
    }

    @Test
    void defaultsBindTheDocumentedKeysToTheDecodedEvents() {
        assertThat(typed(defaults, "\r")).contains(Action.SUBMIT);
        assertThat(typed(defaults, "\u001b[13;2u")).contains(Action.NEWLINE);
        assertThat(typed(defaults, "\u001b[27;2;13~")).contains(Action.NEWLINE);
        assertThat(typed(defaults, "\u001b\r")).contains(Action.NEWLINE);
        assertThat(typed(defaults, "\n")).contains(Action.NEWLINE);
        assertThat(typed(defaults, "\u0003")).contains(Action.INTERRUPT);
        assertThat(typed(defaults, "\u001b")).contains(Action.ABORT);
        assertThat(typed(defaults, "\u0004")).contains(Action.EXIT);
        assertThat(typed(defaults, "\t")).contains(Action.CYCLE_AGENT);
        assertThat(typed(defaults, "\u001b[Z")).contains(Action.CYCLE_MODE);
        assertThat(defaults.keys(Action.CYCLE_AGENT_REVERSE)).isEmpty();
        assertThat(typed(defaults, "\u000f")).contains(Action.TOGGLE_DETAILS);
        assertThat(typed(defaults, "\u001b[5~")).contains(Action.PAGE_UP);
        assertThat(typed(defaults, "\u001b[1;5D")).contains(Action.WORD_LEFT);
        assertThat(typed(defaults, "\u001b[1;3C")).contains(Action.WORD_RIGHT);
        assertThat(typed(defaults, "\u001bb")).contains(Action.WORD_LEFT);
        assertThat(typed(defaults, "\u001b\u007f")).contains(Action.DELETE_WORD_BACKWARD);
        assertThat(typed(defaults, "\u0017")).contains(Action.DELETE_WORD_BACKWARD);
        assertThat(typed(defaults, "\u001bOH")).contains(Action.LINE_START);
        assertThat(typed(defaults, "\u001b[4~")).contains(Action.LINE_END);
        assertThat(typed(defaults, "\u001b[A")).contains(Action.MOVE_UP);
        assertThat(typed(defaults, "\u000b")).contains(Action.KILL_TO_END);
        assertThat(typed(defaults, "\u0015")).contains(Action.KILL_TO_START);
    }

    @Test
    void textPastesAndUnknownSequencesAreNeverBound() {
        assertThat(defaults.actionFor(Char.of('a'))).isEmpty();
        assertThat(defaults.actionFor(Char.of(' '))).isEmpty();
        assertThat(defaults.actionFor(new Paste("x"))).isEmpty();
        assertThat(defaults.actionFor(new Unknown("\u001b[99~"))).isEmpty();
    }

    @Test
    void noKeyIsBoundTwiceByDefault() {
        var seen = new HashMap<String, Action>();
        for (Action a : Action.values()) {
            for (String k : defaults.keys(a)) {
                assertThat(seen.put(k, a)).as("'%s' bound to %s and %s", k, seen.get(k), a).isNull();
            }
        }
    }

    @Test
    void describesKeysInSpecSyntax() {
        assertThat(defaults.describe(Action.SUBMIT)).isEqualTo("enter");
        assertThat(defaults.describe(Action.NEWLINE)).isEqualTo("shift+enter, alt+enter, ctrl+j");
        assertThat(defaults.withOverrides(Map.of("redraw", "none")).describe(Action.REDRAW)).isEqualTo("none");
    }

    @Test
    void overridesReplaceAnActionsKeysAndTakeThemFromOthers() {
        Keybindings k = defaults.withOverrides(Map.of("submit", "ctrl+enter", "newline", "enter", "sessions", "ctrl+N"));
        assertThat(k.actionFor(Special.of(Name.ENTER))).contains(Action.NEWLINE);
        assertThat(k.actionFor(Special.of(Name.ENTER, Modifier.CTRL))).contains(Action.SUBMIT);
        assertThat(k.actionFor(Special.of(Name.ENTER, Modifier.SHIFT))).isEmpty();
        assertThat(k.actionFor(Ctrl.of('n'))).contains(Action.SESSIONS);
        assertThat(k.keys(Action.HISTORY_NEXT)).isEmpty();
        assertThat(k.actionFor(Ctrl.of('s'))).isEmpty();
        assertThat(defaults.actionFor(Ctrl.of('n'))).as("the original is unchanged").contains(Action.HISTORY_NEXT);
    }

    @Test
    void specsAreCaseInsensitiveAndAcceptAliases() {
        Keybindings k = defaults.withOverrides(Map.of(
                "abort", "Esc", "models", "Ctrl+Alt+T", "agents", " alt+shift+a , f2 ", "redraw", "alt++",
                "toggleDetails", "ctrl+space", "pageUp", "pgup,shift+up"));
        assertThat(k.actionFor(Special.of(Name.ESCAPE))).contains(Action.ABORT);
        assertThat(k.actionFor(Ctrl.withAlt('t'))).contains(Action.MODELS);
        assertThat(k.actionFor(Char.withAlt('A'))).contains(Action.AGENTS);
        assertThat(k.actionFor(Special.of(Name.F2))).contains(Action.AGENTS);
        assertThat(k.actionFor(Char.withAlt('+'))).contains(Action.REDRAW);
        assertThat(k.actionFor(Ctrl.of(' '))).contains(Action.TOGGLE_DETAILS);
        assertThat(k.actionFor(Special.of(Name.UP, Modifier.SHIFT))).contains(Action.PAGE_UP);
        assertThat(k.describe(Action.AGENTS)).isEqualTo("alt+A, f2");
    }

    @Test
    void aTypoIsAnsweredWithTheNameItMisspells() {
        // issue 53: keybind typos got no "did you mean"
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("sesions", "ctrl+y")))
                .hasMessageStartingWith("keybinds.sesions: unknown action; did you mean 'sessions'?");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("newline", "sift+enter")))
                .hasMessageContaining("unknown modifier 'sift'; did you mean 'shift'?");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("models", "ctlr+y")))
                .hasMessageContaining("unknown modifier 'ctlr'; did you mean 'ctrl'?");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "entr")))
                .hasMessageContaining("did you mean 'enter'?");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("pageUp", "pgaeup")))
                .hasMessageContaining("did you mean 'pageup'?");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("frobnicate", "ctrl+y")))
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void badConfigNamesTheKeyAndWhatIsWrong() {
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("newline", "sift+enter")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keybinds.newline: unknown key 'sift+enter'");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submitt", "enter")))
                .hasMessageStartingWith("keybinds.submitt: unknown action; did you mean 'submit'? (known: submit, newline,");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "entr")))
                .hasMessageStartingWith("keybinds.submit: unknown key 'entr'");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "a")))
                .hasMessage("keybinds.submit: key 'a' would stop it from being typed (add ctrl or alt)");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "ctrl+h")))
                .hasMessageContaining("keybinds.submit: key 'ctrl+h' arrives as backspace");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "ctrl+1")))
                .hasMessageStartingWith("keybinds.submit: key 'ctrl+1' is not one terminals send");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "enter,")))
                .hasMessageStartingWith("keybinds.submit: empty key");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("submit", "enter,none")))
                .hasMessageStartingWith("keybinds.submit: \"none\" cannot be combined");
        assertThatThrownBy(() -> defaults.withOverrides(Map.of("models", "ctrl+y", "sessions", "ctrl+y")))
                .hasMessage("keybinds.sessions and keybinds.models both bind 'ctrl+y'");
    }

    @Test
    void defaultsTableListsEveryActionWithItsConfigKeyAndDefaults() {
        List<String> rows = Arrays.stream(Keybindings.defaultsTable().split("\n")).toList();
        assertThat(rows.get(0)).isEqualTo("| Action | Config key | Default keys | What it does |");
        assertThat(rows).hasSize(Action.values().length + 2);
        for (Action a : Action.values()) {
            assertThat(rows).as("row for %s", a).anySatisfy(row -> assertThat(row)
                    .startsWith("| " + a.name() + " | `" + a.configKey() + "` |")
                    .contains(a.description()));
        }
        assertThat(rows).contains("| NEWLINE | `newline` | `shift+enter`, `alt+enter`, `ctrl+j` | " + Action.NEWLINE.description() + " |");
    }

    @Test
    void configKeysAreCamelCaseAndRoundTrip() {
        assertThat(Action.HISTORY_PREVIOUS.configKey()).isEqualTo("historyPrevious");
        assertThat(Action.TOGGLE_DETAILS.configKey()).isEqualTo("toggleDetails");
        for (Action a : Action.values()) assertThat(Action.fromConfigKey(a.configKey())).contains(a);
        assertThat(Action.fromConfigKey("Submit")).isEmpty();
    }
}
