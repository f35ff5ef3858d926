package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.input.Action;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The picker's filter takes the editor's own keys: a user who typed a wrong filter clears it as they would a line. */
class PickerTest {
    private final Picker<String> models = Picker.of("Models", "", List.of("claude-sonnet", "gpt-5", "gemini-pro", "glm-4"),
            Function.identity(), m -> "");

    @Test
    void ctrlUAndTheClearKeyEmptyTheFilterAndShowEveryRowAgain() {
        for (Action clear : List.of(Action.KILL_TO_START, Action.CLEAR_INPUT)) {
            models.type("gpt");
            assertThat(models.shown()).extracting(Picker.Item::value).containsExactly("gpt-5");
            assertThat(models.edit(clear)).isTrue();
            assertThat(models.filter()).isEmpty();
            assertThat(models.shown()).hasSize(4);
        }
    }

    @Test
    void ctrlWDeletesTheLastWordOfTheFilter() {
        models.type("gem pro ");
        assertThat(models.edit(Action.DELETE_WORD_BACKWARD)).isTrue();
        assertThat(models.filter()).isEqualTo("gem ");
        models.edit(Action.DELETE_WORD_BACKWARD);
        assertThat(models.filter()).isEmpty();
    }

    @Test
    void movesAndBackspaceStayThePickersWhileChoosingAndClosingAreLeftToItsOwner() {
        models.type("g");
        models.edit(Action.MOVE_DOWN);
        assertThat(models.chosen()).isPresent();
        assertThat(models.edit(Action.DELETE_BACKWARD)).isTrue();
        assertThat(models.filter()).isEmpty();
        assertThat(models.edit(Action.SUBMIT)).isFalse();
        assertThat(models.edit(Action.ABORT)).isFalse();
    }
}
