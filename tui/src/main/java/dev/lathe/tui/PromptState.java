package dev.lathe.tui;

import dev.lathe.tui.input.LineEditor;
import java.util.function.Consumer;

/**
 * The prompt area between two signals, owned by the UI's loop: the text being typed, the footer's hint, and when
 * Ctrl-C was last pressed (a second press soon after exits). A change makes a new state: {@link #edited} edits a copy
 * of the editor, so a state once handed out (to the painter, to a test) stays as it was.
 *
 * @param lastInterrupt epoch millis of the last Ctrl-C that did not stop a turn; 0: none yet
 */
record PromptState(LineEditor editor, String hint, long lastInterrupt) {
    static PromptState empty() { return new PromptState(new LineEditor(), "", 0); }

    /** This state with {@code change} applied to a copy of its editor. */
    PromptState edited(Consumer<LineEditor> change) {
        LineEditor copy = editor.copy();
        change.accept(copy);
        return new PromptState(copy, hint, lastInterrupt);
    }

    PromptState withText(String text) { return edited(e -> e.setText(text)); }

    PromptState cleared() { return edited(LineEditor::clear); }

    PromptState withHint(String text) { return new PromptState(editor, text, lastInterrupt); }

    PromptState interruptedAt(long millis) { return new PromptState(editor, hint, millis); }

    /** The text as typed, pastes expanded. */
    String text() { return editor.text(); }

    boolean isEmpty() { return editor.isEmpty(); }
}
