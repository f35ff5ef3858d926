package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.RawJson;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.text.Role;
import org.jline.utils.AttributedCharSequence.ForceMode;
import org.junit.jupiter.api.Test;

class UiConfigTest {
    @Test
    void themeAndKeysComeFromConfigAndMistakesBecomeWarnings() {
        var config = UiConfig.from(new RawJson("""
                {"theme": {"accent": "bold #ff8800", "nope": "red", "error": "purplish"},
                 "keybinds": {"submit": "ctrl+s", "newline": "sift+enter", "frobnicate": "x"}}"""), false);
        assertThat(config.theme().paint(Role.ACCENT, "x").toAnsi(256, ForceMode.Force256Colors)).contains("38;5;208");
        assertThat(config.keys().actionFor(KeyEvent.Ctrl.of('s'))).contains(Action.SUBMIT);
        assertThat(config.keys().actionFor(KeyEvent.Special.of(KeyEvent.Name.ENTER, KeyEvent.Modifier.ALT))).contains(Action.NEWLINE);
        assertThat(config.warnings()).hasSize(5)
                .anySatisfy(w -> assertThat(w).startsWith("keybinds.submit takes 'ctrl+s' from sessions"))
                .anySatisfy(w -> assertThat(w).startsWith("theme.nope: unknown role"))
                .anySatisfy(w -> assertThat(w).contains("theme.error").contains("purplish"))
                .anySatisfy(w -> assertThat(w).contains("keybinds.newline").contains("sift+enter"))
                .anySatisfy(w -> assertThat(w).contains("frobnicate"));
    }

    @Test
    void twoKeybindsClaimingOneKeyAreAConflictNotASilentWin() {
        var config = UiConfig.from(new RawJson("""
                {"keybinds": {"sessions": "ctrl+y", "models": "ctrl+y", "agents": "alt+g"}}"""), false);
        assertThat(config.warnings()).singleElement().satisfies(w -> assertThat(w)
                .isEqualTo("keybinds.sessions and keybinds.models both bind 'ctrl+y'; keybinds.models is ignored"));
        assertThat(config.keys().actionFor(KeyEvent.Ctrl.of('y'))).contains(Action.SESSIONS);
        assertThat(config.keys().actionFor(KeyEvent.Ctrl.of('t'))).as("models keeps its default").contains(Action.MODELS);
        assertThat(config.keys().actionFor(KeyEvent.Char.withAlt('g'))).as("the entries after the conflict still apply").contains(Action.AGENTS);
    }

    @Test
    void aKeyTakenFromABuiltInActionIsSaidNotSilent() {
        // issue 53: the README's example "sessions": "ctrl+x" took Clear input's only key without a word
        var config = UiConfig.from(new RawJson("""
                {"keybinds": {"sessions": "ctrl+x"}}"""), false);
        assertThat(config.keys().actionFor(KeyEvent.Ctrl.of('x'))).contains(Action.SESSIONS);
        assertThat(config.warnings()).containsExactly("keybinds.sessions takes 'ctrl+x' from clearInput (Clear the whole input), which is left with no key;"
                + " choose a free key, or set keybinds.clearInput too");
        assertThat(UiConfig.from(new RawJson("""
                {"keybinds": {"sessions": "ctrl+x", "clearInput": "alt+x"}}"""), false).warnings()).as("moving both is deliberate").isEmpty();
        assertThat(UiConfig.from(new RawJson("""
                {"keybinds": {"wordLeft": "ctrl+b"}}"""), false).warnings()).singleElement()
                .satisfies(w -> assertThat(w).contains("from moveLeft (Cursor left), which keeps left;"));
    }

    @Test
    void theReadmesKeybindsExampleTakesNoBuiltInKey() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        String example = readme.lines().filter(l -> l.strip().startsWith("\"keybinds\":")).findFirst().orElseThrow().strip();
        var config = UiConfig.from(new RawJson("{" + example.replaceAll(",$", "") + "}"), false);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void noColorKeepsAttributesButNoColours() {
        var config = UiConfig.from(new RawJson("{\"theme\": \"default\"}"), true);
        String ansi = config.theme().paint(Role.ERROR, "x").toAnsi(256, ForceMode.Force256Colors);
        assertThat(ansi).contains("1m").doesNotContain("38;5");
        assertThat(UiConfig.from(new RawJson("{\"theme\": \"neon\"}"), false).warnings()).containsExactly("theme: unknown theme 'neon' (built in: default, mono)");
    }
}
