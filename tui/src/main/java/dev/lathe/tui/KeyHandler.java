package dev.lathe.tui;

import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.TranscriptPager;
import dev.lathe.tui.text.Role;
import java.util.List;
import java.util.Optional;

/**
 * What a key does, by what has the keyboard: an open picker, then an open ask, then the completion list, then the
 * editor and the global actions of the key bindings.
 */
final class KeyHandler {
    private final Ui ui;
    private final PromptKeys prompt;

    KeyHandler(Ui ui) {
        this.ui = ui;
        this.prompt = new PromptKeys(ui.history);
    }

    void on(KeyEvent key) {
        Optional<Action> action = ui.config.keys().actionFor(key);
        if (ui.views.pager().isPresent()) {
            pager(ui.views.pager().get(), key, action);
            return;
        }
        if (ui.views.picker().isPresent()) {
            picker(ui.views.picker().get(), key, action);
            return;
        }
        if (!ui.asks.isEmpty() && apply(AskSignals.key(ui.asks.state(), key, action, ui.composer.isEmpty()))) return;
        if (ui.completions.state().open() && completion(key, action)) return;
        apply(prompt.on(ui.composer.state(), key, action, facts()));
        ui.completions.refresh();
    }

    /** Enter on the prompt (or the prompt given at start). */
    void submit() { apply(prompt.submit(ui.composer.state(), facts())); }

    void interrupt() { apply(prompt.interrupt(ui.composer.state(), facts())); }

    private PromptKeys.Facts facts() {
        return new PromptKeys.Facts(ui.busy(), ui.attached.turn().abortSent(), ui.connectCommand.takingKey(), ui.watch.stoppedOnPurpose(), ui.watch.connected(),
                System.currentTimeMillis());
    }

    /** The reducer's state becomes the loop's, then its effects run in order (they may change the state again). */
    private void apply(PromptKeys.Step step) {
        ui.composer.state(step.state());
        for (PromptEffect effect : step.effects()) {
            switch (effect) {
                case PromptEffect.Remember r -> ui.history.add(r.text());
                case PromptEffect.RunCommand c -> ui.commands.run(c.line());
                case PromptEffect.SendPrompt p -> ui.send(p.text(), p.whenBusy());
                case PromptEffect.SaveKey k -> ui.connectCommand.saveKey(k.key());
                case PromptEffect.CancelKey _ -> ui.connectCommand.cancelKey();
                case PromptEffect.RestartServer _ -> ui.watch.restart();
                case PromptEffect.Abort _ -> ui.abort();
                case PromptEffect.Exit _ -> ui.loop = ui.loop.exiting();
                case PromptEffect.CloseCompletion _ -> ui.completions.close();
                case PromptEffect.Open o -> open(o.what());
            }
        }
    }

    private void open(PromptEffect.Elsewhere what) {
        switch (what) {
            case NEXT_AGENT -> ui.commands.cycleAgent(1);
            case PREVIOUS_AGENT -> ui.commands.cycleAgent(-1);
            case SESSIONS -> ui.commands.sessions();
            case MODELS -> ui.commands.models();
            case AGENTS -> ui.commands.agents();
            case TRANSCRIPT -> ui.openTranscript();
            case REWIND -> ui.commands.rewind();
            case REDRAW -> ui.screen.resized(ui.live(), ui.cursor());
        }
    }

    /** The transcript view's key (see {@link PagerKeys}), carried out on the open view. */
    private void pager(TranscriptPager p, KeyEvent key, Optional<Action> action) {
        PagerKeys.on(key, action).ifPresent(effect -> {
            switch (effect) {
                case PagerKeys.Effect.Close _ -> ui.closeTranscript();
                case PagerKeys.Effect.Redraw _ -> ui.fullScreen.open();
                case PagerKeys.Effect.Move m -> {
                    switch (m.scroll()) {
                        case LINE_UP -> p.up(1);
                        case LINE_DOWN -> p.down(1);
                        case PAGE_UP -> p.pageUp();
                        case PAGE_DOWN -> p.pageDown();
                        case HOME -> p.home();
                        case END -> p.end();
                    }
                }
            }
        });
    }

    /** The picker after the key becomes the loop's (see {@link PickerKeys}), then its effects run in order. */
    private void picker(PickerState open, KeyEvent key, Optional<Action> action) {
        PickerKeys.Step step = PickerKeys.on(open, key, action);
        ui.views.picker(step.state());
        for (PickerKeys.Effect effect : step.effects()) {
            switch (effect) {
                case PickerKeys.Effect.Chosen c -> c.onChoice().accept(c.value());
                case PickerKeys.Effect.NewSession _ -> ui.newSession();
                case PickerKeys.Effect.Fork f -> ui.commands.fork(f.session());
            }
        }
    }

    /**
     * The asks' new state becomes the loop's, then its effects run in order.
     *
     * @return for a key, whether the ask took it
     */
    boolean apply(AskSignals.Step step) {
        ui.asks.state(step.state());
        for (AskSignals.Effect effect : step.effects()) {
            switch (effect) {
                case AskSignals.Effect.SendAnswer(AskPanel.Answer.ToPermission p) -> ui.api().replyPermission(p.request().id(), p.reply());
                case AskSignals.Effect.SendAnswer(AskPanel.Answer.ToQuestions q) -> ui.api().replyQuestion(q.request().id(), q.reply());
                case AskSignals.Effect.Interrupt _ -> interrupt();
                case AskSignals.Effect.SayWaiting w -> ui.notice(List.of(ui.theme.paint(Role.MUTED, w.line())));
            }
        }
        return step.keyTaken();
    }

    /** @return whether the completion list took the key */
    private boolean completion(KeyEvent key, Optional<Action> action) {
        Picker<String> list = ui.completions.state().list().orElseThrow();
        if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.TAB) {
            ui.completions.accept();
            return true;
        }
        if (action.isEmpty()) return false;
        switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> list.up();
            case MOVE_DOWN, HISTORY_NEXT -> list.down();
            case CYCLE_AGENT -> ui.completions.accept();
            case SUBMIT -> {
                boolean command = ui.completions.state().completesCommand();
                ui.completions.accept();
                // a complete command name runs at once, as in other agents; a file mention waits for more text
                if (command && !ui.composer.text().strip().contains(" ")) submit();
            }
            case ABORT -> ui.completions.close();
            default -> { return false; }
        }
        return true;
    }
}
