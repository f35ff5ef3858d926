package dev.lathe.tui;

import dev.lathe.protocol.api.Delivery;
import dev.lathe.tui.PromptEffect.Elsewhere;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.History;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.LineEditor;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The prompt's reducer: a key (or Enter's submission, or Ctrl-C) and the {@link PromptState} before it give the state
 * after it and the {@link PromptEffect}s the UI's loop then carries out. It reads nothing of the UI but the
 * {@link Facts} it is given, and writes only the input history's browsing position, so tests drive it as a user types.
 */
final class PromptKeys {
    /** A second Ctrl-C within this time exits. */
    static final long DOUBLE_PRESS_MILLIS = 2000;
    static final String AGAIN_TO_EXIT = "ctrl+c again to exit";
    static final String AGAIN_TO_REWIND = "esc again to rewind";

    /**
     * What the prompt's keys depend on outside the prompt, as the loop saw it when the key came.
     *
     * @param busy a turn runs in the open session
     * @param abortSent this UI already asked to stop that turn
     * @param takingKey {@code /connect} waits for an API key in the input
     * @param stoppedOnPurpose the user stopped the server ({@code lathe stop}): Enter starts it again
     * @param connected the server answers
     * @param now epoch millis of the key
     */
    record Facts(boolean busy, boolean abortSent, boolean takingKey, boolean stoppedOnPurpose, boolean connected, long now) {}

    /** The state after a signal, and what the loop does next, in order. */
    record Step(PromptState state, List<PromptEffect> effects) {
        static Step of(PromptState state, PromptEffect... effects) { return new Step(state, List.of(effects)); }
    }

    private final History history;

    PromptKeys(History history) { this.history = history; }

    /** A key that no ask, picker or completion list took: an action of the key bindings, else typed text. */
    Step on(PromptState state, KeyEvent key, Optional<Action> action, Facts facts) {
        Step step;
        if (action.isPresent()) {
            step = act(state, action.get(), facts);
        } else {
            step = switch (key) {
                case KeyEvent.Char c when !c.alt() -> Step.of(state.edited(e -> e.insert(Character.toString(c.codePoint()))));
                case KeyEvent.Paste p -> Step.of(state.edited(e -> e.insertPaste(p.text())));
                default -> Step.of(state);
            };
        }
        // the "again to exit" hint lasts until any other key
        boolean interrupt = action.filter(a -> a == Action.INTERRUPT).isPresent();
        if (!interrupt && step.state().hint().startsWith("ctrl+c")) step = new Step(step.state().withHint(""), step.effects());
        // so does "esc again to rewind", until any key but Esc
        boolean escape = action.filter(a -> a == Action.ABORT).isPresent();
        if (!escape && step.state().hint().equals(AGAIN_TO_REWIND)) step = new Step(step.state().withHint(""), step.effects());
        return step;
    }

    /** What begins a line that runs as the user's own shell command. */
    static final char SHELL_PREFIX = '!';

    /** Enter: the text goes as a message, or runs as a command; or it is the key {@code /connect} waits for. */
    Step submit(PromptState state, Facts facts) { return submit(state, facts, Delivery.steer); }

    /** As Enter, with a message to a busy session delivered as {@code whenBusy}. */
    private Step submit(PromptState state, Facts facts, Delivery whenBusy) {
        if (facts.takingKey()) return Step.of(state.cleared(), new PromptEffect.SaveKey(state.editor().submission()));
        // the user stopped the server; Enter is the way to start it again (what was typed stays in the editor)
        if (facts.stoppedOnPurpose()) return Step.of(state.withHint("starting the server…"), new PromptEffect.RestartServer());
        String text = state.editor().submission();
        if (text.isBlank()) return Step.of(state);
        // nothing can be sent now: the message waits in the editor for the server to be back
        if (!facts.connected()) return Step.of(state.withHint("not connected: your message stays here until the server is back"));
        PromptState sent = state.cleared().withHint("");
        var remember = new PromptEffect.Remember(text);
        var close = new PromptEffect.CloseCompletion();
        if (text.startsWith("/") && !text.startsWith("//")) return Step.of(sent, remember, close, new PromptEffect.RunCommand(text));
        // "!cmd" runs cmd as the user's own shell command, as Claude Code and OpenCode do; "!" alone is a message
        if (text.charAt(0) == SHELL_PREFIX && !text.substring(1).isBlank()) {
            return Step.of(sent, remember, close, new PromptEffect.RunShell(text.substring(1).strip()));
        }
        // "//x" is the message "/x": the way to send text that would read as a command
        return Step.of(sent, remember, close, new PromptEffect.SendPrompt(text.startsWith("//") ? text.substring(1) : text, whenBusy));
    }

    /** Ctrl-C: stop the turn, else clear the editor, else (pressed twice) exit. */
    Step interrupt(PromptState state, Facts facts) {
        if (facts.busy() && !facts.abortSent()) {
            return Step.of(state.withHint(AGAIN_TO_EXIT).interruptedAt(facts.now()), new PromptEffect.Abort());
        }
        if (!state.isEmpty()) return Step.of(state.cleared(), new PromptEffect.CloseCompletion());
        if (facts.now() - state.lastInterrupt() < DOUBLE_PRESS_MILLIS) return Step.of(state, new PromptEffect.Exit());
        return Step.of(state.withHint(AGAIN_TO_EXIT).interruptedAt(facts.now()));
    }

    private Step act(PromptState state, Action action, Facts facts) {
        return switch (action) {
            case SUBMIT -> submit(state, facts);
            case INTERRUPT -> interrupt(state, facts);
            case ABORT -> {
                if (facts.takingKey()) yield Step.of(state.cleared(), new PromptEffect.CancelKey());
                if (facts.busy()) yield Step.of(state, new PromptEffect.Abort());
                // Esc Esc on an empty prompt between turns: the rewind picker (Claude Code's keys)
                if (!state.isEmpty()) yield Step.of(state);
                if (state.hint().equals(AGAIN_TO_REWIND)) yield Step.of(state.withHint(""), new PromptEffect.Open(Elsewhere.REWIND));
                yield Step.of(state.withHint(AGAIN_TO_REWIND));
            }
            case EXIT -> state.isEmpty() ? Step.of(state, new PromptEffect.Exit()) : edit(state, LineEditor::deleteForward);
            case HISTORY_PREVIOUS -> edit(state, e -> history.previous(e.text()).ifPresent(e::setText));
            case HISTORY_NEXT -> edit(state, e -> history.next().ifPresent(e::setText));
            case MOVE_UP -> edit(state, e -> {
                if (!e.moveUp()) history.previous(e.text()).ifPresent(e::setText);
            });
            case MOVE_DOWN -> edit(state, e -> {
                if (!e.moveDown()) history.next().ifPresent(e::setText);
            });
            // while the agent works, Tab queues the message for after the turn (Enter steers it into the turn)
            case CYCLE_AGENT -> facts.busy() && !state.isEmpty() ? submit(state, facts, Delivery.queue) : elsewhere(state, Elsewhere.NEXT_AGENT);
            case CYCLE_AGENT_REVERSE -> elsewhere(state, Elsewhere.PREVIOUS_AGENT);
            case CYCLE_MODE -> elsewhere(state, Elsewhere.NEXT_MODE);
            case SESSIONS -> elsewhere(state, Elsewhere.SESSIONS);
            case MODELS -> elsewhere(state, Elsewhere.MODELS);
            case AGENTS -> elsewhere(state, Elsewhere.AGENTS);
            case TOGGLE_DETAILS -> elsewhere(state, Elsewhere.TRANSCRIPT);
            case REDRAW -> elsewhere(state, Elsewhere.REDRAW);
            case NEWLINE -> edit(state, LineEditor::newline);
            case CLEAR_INPUT -> edit(state, LineEditor::clear);
            case KILL_TO_START -> edit(state, LineEditor::killToStart);
            case KILL_TO_END -> edit(state, LineEditor::killToEnd);
            case MOVE_LEFT -> edit(state, LineEditor::moveLeft);
            case MOVE_RIGHT -> edit(state, LineEditor::moveRight);
            case WORD_LEFT -> edit(state, LineEditor::wordLeft);
            case WORD_RIGHT -> edit(state, LineEditor::wordRight);
            case LINE_START -> edit(state, LineEditor::lineStart);
            case LINE_END -> edit(state, LineEditor::lineEnd);
            case DELETE_BACKWARD -> edit(state, LineEditor::deleteBackward);
            case DELETE_FORWARD -> edit(state, LineEditor::deleteForward);
            case DELETE_WORD_BACKWARD -> edit(state, LineEditor::deleteWordBackward);
            case DELETE_WORD_FORWARD -> edit(state, LineEditor::deleteWordForward);
            case PAGE_UP, PAGE_DOWN -> Step.of(state);
        };
    }

    private static Step edit(PromptState state, Consumer<LineEditor> change) { return Step.of(state.edited(change)); }

    private static Step elsewhere(PromptState state, Elsewhere what) { return Step.of(state, new PromptEffect.Open(what)); }
}
