package dev.lathe.tui;

import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.CompletionQuery;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.TranscriptPager;
import java.util.Optional;

/**
 * What a key does, by what has the keyboard: an open picker, then an open ask, then the completion list, then the
 * editor and the global actions of the key bindings.
 */
final class KeyHandler {
    /** A second Ctrl-C within this time exits. */
    static final long DOUBLE_PRESS_MILLIS = 2000;

    private final Ui ui;

    KeyHandler(Ui ui) { this.ui = ui; }

    void on(KeyEvent key) {
        Optional<Action> action = ui.config.keys().actionFor(key);
        if (ui.pager.isPresent()) {
            pager(ui.pager.get(), key, action);
            return;
        }
        if (ui.picker.isPresent()) {
            picker(ui.picker.get(), key, action);
            return;
        }
        if (!ui.asks.isEmpty() && ask(key, action)) return;
        if (ui.completion.isPresent() && completion(key, action)) return;
        if (action.isPresent()) {
            act(action.get());
        } else {
            switch (key) {
                case KeyEvent.Char c when !c.alt() -> ui.editor.insert(Character.toString(c.codePoint()));
                case KeyEvent.Paste p -> ui.editor.insertPaste(p.text());
                default -> { }
            }
        }
        // the "again to exit" hint lasts until any other key
        if (ui.hint.startsWith("ctrl+c") && !(action.isPresent() && action.get() == Action.INTERRUPT)) ui.hint = "";
        ui.refreshCompletion();
    }

    private void act(Action action) {
        var editor = ui.editor;
        switch (action) {
            case SUBMIT -> ui.submit();
            case NEWLINE -> editor.newline();
            case INTERRUPT -> interrupt();
            case ABORT -> {
                if (ui.connectCommand.takingKey()) {
                    editor.clear();
                    ui.connectCommand.cancelKey();
                } else if (ui.busy()) {
                    ui.abort();
                }
            }
            case EXIT -> {
                if (editor.isEmpty()) ui.exit = true;
                else editor.deleteForward();
            }
            case HISTORY_PREVIOUS -> ui.history.previous(editor.text()).ifPresent(editor::setText);
            case HISTORY_NEXT -> ui.history.next().ifPresent(editor::setText);
            case CYCLE_AGENT -> ui.commands.cycleAgent(1);
            case CYCLE_AGENT_REVERSE -> ui.commands.cycleAgent(-1);
            case SESSIONS -> ui.commands.sessions();
            case MODELS -> ui.commands.models();
            case AGENTS -> ui.commands.agents();
            case TOGGLE_DETAILS -> ui.openTranscript();
            case REDRAW -> ui.screen.resized(ui.live(), ui.cursor());
            case CLEAR_INPUT -> editor.clear();
            case KILL_TO_START -> editor.killToStart();
            case KILL_TO_END -> editor.killToEnd();
            case MOVE_LEFT -> editor.moveLeft();
            case MOVE_RIGHT -> editor.moveRight();
            case MOVE_UP -> {
                if (!editor.moveUp()) ui.history.previous(editor.text()).ifPresent(editor::setText);
            }
            case MOVE_DOWN -> {
                if (!editor.moveDown()) ui.history.next().ifPresent(editor::setText);
            }
            case WORD_LEFT -> editor.wordLeft();
            case WORD_RIGHT -> editor.wordRight();
            case LINE_START -> editor.lineStart();
            case LINE_END -> editor.lineEnd();
            case DELETE_BACKWARD -> editor.deleteBackward();
            case DELETE_FORWARD -> editor.deleteForward();
            case DELETE_WORD_BACKWARD -> editor.deleteWordBackward();
            case DELETE_WORD_FORWARD -> editor.deleteWordForward();
            case PAGE_UP, PAGE_DOWN -> { }
        }
    }

    /** Ctrl-C: stop the turn, else clear the editor, else (pressed twice) exit. */
    private void interrupt() {
        long now = System.currentTimeMillis();
        if (ui.busy() && !ui.abortSent) {
            ui.abort();
            ui.hint = "ctrl+c again to exit";
            ui.lastInterrupt = now;
            return;
        }
        if (!ui.editor.isEmpty()) {
            ui.editor.clear();
            ui.closeCompletion();
            return;
        }
        if (now - ui.lastInterrupt < DOUBLE_PRESS_MILLIS) {
            ui.exit = true;
            return;
        }
        ui.lastInterrupt = now;
        ui.hint = "ctrl+c again to exit";
    }

    /** The transcript view: scrolling keys (also less's j k space b g G), and q, Esc, Ctrl-C or Ctrl-O close it. */
    private void pager(TranscriptPager p, KeyEvent key, Optional<Action> action) {
        if (key instanceof KeyEvent.Char c && !c.alt()) {
            switch (c.codePoint()) {
                case 'q' -> ui.closeTranscript();
                case 'j' -> p.down(1);
                case 'k' -> p.up(1);
                case ' ', 'f' -> p.pageDown();
                case 'b' -> p.pageUp();
                case 'g' -> p.home();
                case 'G' -> p.end();
                default -> { }
            }
            return;
        }
        if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.ESCAPE) {
            ui.closeTranscript();
            return;
        }
        if (action.isEmpty()) return;
        switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> p.up(1);
            case MOVE_DOWN, HISTORY_NEXT, SUBMIT -> p.down(1);
            case PAGE_UP -> p.pageUp();
            case PAGE_DOWN -> p.pageDown();
            case LINE_START -> p.home();
            case LINE_END -> p.end();
            case ABORT, INTERRUPT, TOGGLE_DETAILS, EXIT -> ui.closeTranscript();
            case REDRAW -> ui.fullScreen.open();
            default -> { }
        }
    }

    @SuppressWarnings("unchecked")
    private void picker(Picker<?> p, KeyEvent key, Optional<Action> action) {
        if (key instanceof KeyEvent.Char c && !c.alt()) {
            p.type(Character.toString(c.codePoint()));
            return;
        }
        if (key instanceof KeyEvent.Ctrl ctrl) {
            // picker-specific keys: new and fork in the session picker
            if (ui.commands.pickerKey(ctrl.key())) return;
        }
        if (action.isEmpty()) {
            if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.ESCAPE) ui.closePicker();
            return;
        }
        if (p.edit(action.get())) return;
        switch (action.get()) {
            case SUBMIT -> {
                Optional<?> chosen = p.chosen();
                var onChoice = ui.pickerAction;
                ui.closePicker();
                chosen.ifPresent(v -> onChoice.ifPresent(a -> a.accept(v)));
            }
            case ABORT, INTERRUPT -> ui.closePicker();
            default -> { }
        }
    }

    /** @return whether the ask took the key; see {@link AskKeys} for the rules */
    private boolean ask(KeyEvent key, Optional<Action> action) {
        switch (AskKeys.on(ui.asks, ui.editor.isEmpty(), key, action)) {
            case AskKeys.Outcome.Answered a -> send(a.answer());
            case AskKeys.Outcome.Taken _ -> { }
            case AskKeys.Outcome.ToInput _ -> { return false; }
            case AskKeys.Outcome.Dismissed d -> {
                d.answer().ifPresent(this::send);
                if (d.interrupt()) interrupt();
            }
        }
        return true;
    }

    private void send(AskPanel.Answer answer) {
        switch (answer) {
            case AskPanel.Answer.ToPermission p -> {
                ui.asks.remove(p.request().id().value());
                ui.api.replyPermission(p.request().id(), p.reply());
            }
            case AskPanel.Answer.ToQuestions q -> {
                ui.asks.remove(q.request().id().value());
                ui.api.replyQuestion(q.request().id(), q.reply());
            }
        }
    }

    /** @return whether the completion list took the key */
    private boolean completion(KeyEvent key, Optional<Action> action) {
        Picker<String> list = ui.completion.get();
        if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.TAB) {
            ui.acceptCompletion();
            return true;
        }
        if (action.isEmpty()) return false;
        switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> list.up();
            case MOVE_DOWN, HISTORY_NEXT -> list.down();
            case CYCLE_AGENT -> ui.acceptCompletion();
            case SUBMIT -> {
                boolean command = ui.completionFor.filter(q -> q instanceof CompletionQuery.Command).isPresent();
                ui.acceptCompletion();
                // a complete command name runs at once, as in other agents; a file mention waits for more text
                if (command && !ui.editor.text().strip().contains(" ")) ui.submit();
            }
            case ABORT -> ui.closeCompletion();
            default -> { return false; }
        }
        return true;
    }
}
