package dev.lathe.tui;

import dev.lathe.protocol.api.Delivery;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.History;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.Pager;
import java.util.Optional;

/**
 * What a key does, by what has the keyboard: an open picker, then an open ask, then the completion list, then the
 * editor and the global actions of the key bindings.
 */
final class KeyHandler {
    /** What a key may make the UI do beyond changing the state this handler is given. */
    interface Host {
        /** A message the input held, sent (or put back when refused); to a busy session delivered as {@code whenBusy}. */
        void send(String text, Delivery whenBusy);

        /** {@code !command}: runs as the user's own shell command in the session, its output joining the transcript. */
        void shell(String command);

        /** Stops the running turn. */
        void abort();

        /** The loop ends after this batch of signals. */
        void exit();

        /** Opens the transcript view (Ctrl-O). */
        void openTranscript();

        /** A new session from the next message on. */
        void newSession();

        /** An ask's answer sent, or a line that an ask waits for someone else. */
        void askEffect(AskSignals.Effect effect);
    }

    private final Keybindings bindings;
    private final UiState ui;
    private final Composer composer;
    private final OpenAsks asks;
    private final OpenViews views;
    private final CompletionList completions;
    private final ServerWatch server;
    private final ApiKeyEntry keyEntry;
    private final History history;
    private final Commands commands;
    /** The screens: drawn again, or back from the transcript view. */
    private final LiveRegion live;
    private final Host host;
    private final PromptKeys prompt;

    KeyHandler(UiState ui, CompletionList completions, ServerWatch server, ApiKeyEntry keyEntry, History history, Commands commands, LiveRegion live,
            Host host) {
        this.bindings = ui.config().keys();
        this.ui = ui;
        this.composer = ui.composer();
        this.asks = ui.asks();
        this.views = ui.views();
        this.completions = completions;
        this.server = server;
        this.keyEntry = keyEntry;
        this.history = history;
        this.commands = commands;
        this.live = live;
        this.host = host;
        this.prompt = new PromptKeys(history);
    }

    void on(KeyEvent key) {
        Optional<Action> action = bindings.actionFor(key);
        if (views.pager().isPresent()) {
            pager(views.pager().get(), key, action);
            return;
        }
        if (views.picker().isPresent()) {
            picker(views.picker().get(), key, action);
            return;
        }
        if (!asks.isEmpty() && apply(AskSignals.key(asks.state(), key, action, composer.isEmpty()))) return;
        if (completions.state().open() && completion(key, action)) return;
        apply(prompt.on(composer.state(), key, action, facts()));
        completions.refresh();
    }

    /** Enter on the prompt (or the prompt given at start). */
    void submit() { apply(prompt.submit(composer.state(), facts())); }

    void interrupt() { apply(prompt.interrupt(composer.state(), facts())); }

    private PromptKeys.Facts facts() {
        AttachedSession attached = ui.attached();
        return new PromptKeys.Facts(attached.busy(), attached.turn().abortSent(), keyEntry.takingKey(), server.stoppedOnPurpose(), server.connected(),
                System.currentTimeMillis());
    }

    /** The reducer's state becomes the loop's, then its effects run in order (they may change the state again). */
    private void apply(PromptKeys.Step step) {
        composer.state(step.state());
        for (PromptEffect effect : step.effects()) {
            switch (effect) {
                case PromptEffect.Remember r -> history.add(r.text());
                case PromptEffect.RunCommand c -> commands.run(c.line());
                case PromptEffect.SendPrompt p -> send(p.text(), p.whenBusy());
                case PromptEffect.RunShell r -> host.shell(r.command());
                case PromptEffect.SaveKey k -> keyEntry.saveKey(k.key());
                case PromptEffect.CancelKey _ -> keyEntry.cancelKey();
                case PromptEffect.RestartServer _ -> server.restart();
                case PromptEffect.Abort _ -> host.abort();
                case PromptEffect.Exit _ -> host.exit();
                case PromptEffect.CloseCompletion _ -> completions.close();
                case PromptEffect.Open o -> open(o.what());
            }
        }
    }

    /** A message sent; when it was refused and no model is chosen yet, the model picker opens to choose one. */
    private void send(String text, Delivery whenBusy) {
        try {
            host.send(text, whenBusy);
        } catch (RuntimeException e) {
            if (ui.choice().model().isEmpty() && views.picker().isEmpty()) commands.models();
            throw e;
        }
    }

    private void open(PromptEffect.Elsewhere what) {
        switch (what) {
            case NEXT_AGENT -> commands.cycleAgent(1);
            case PREVIOUS_AGENT -> commands.cycleAgent(-1);
            case NEXT_MODE -> commands.cycleMode();
            case SESSIONS -> commands.sessions();
            case MODELS -> commands.models();
            case AGENTS -> commands.agents();
            case TRANSCRIPT -> host.openTranscript();
            case REWIND -> commands.rewind();
            case REDRAW -> live.redraw();
        }
    }

    /** The transcript view's key (see {@link PagerKeys}), carried out on the open view. */
    private void pager(Pager p, KeyEvent key, Optional<Action> action) {
        PagerKeys.on(key, action).ifPresent(effect -> {
            switch (effect) {
                case PagerKeys.Effect.Close _ -> live.closeTranscript();
                case PagerKeys.Effect.Redraw _ -> live.redrawTranscript();
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
        views.picker(step.state());
        for (PickerKeys.Effect effect : step.effects()) {
            switch (effect) {
                case PickerKeys.Effect.Chosen c -> c.onChoice().accept(c.value());
                case PickerKeys.Effect.NewSession _ -> host.newSession();
                case PickerKeys.Effect.Fork f -> commands.fork(f.session());
            }
        }
    }

    /**
     * The asks' new state becomes the loop's, then its effects run in order.
     *
     * @return for a key, whether the ask took it
     */
    private boolean apply(AskSignals.Step step) {
        asks.state(step.state());
        for (AskSignals.Effect effect : step.effects()) run(effect);
        return step.keyTaken();
    }

    /** One effect of a key's asks step: the turn interrupted here, by the prompt's reducer; an answer or a line by the host. */
    private void run(AskSignals.Effect effect) {
        if (effect instanceof AskSignals.Effect.Interrupt) interrupt();
        else host.askEffect(effect);
    }

    /** @return whether the completion list took the key */
    private boolean completion(KeyEvent key, Optional<Action> action) {
        Picker<String> list = completions.state().list().orElseThrow();
        if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.TAB) {
            completions.accept();
            return true;
        }
        if (action.isEmpty()) return false;
        switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> list.up();
            case MOVE_DOWN, HISTORY_NEXT -> list.down();
            case CYCLE_AGENT -> completions.accept();
            case SUBMIT -> {
                boolean command = completions.state().completesCommand();
                completions.accept();
                // a complete command name runs at once, as in other agents; a file mention waits for more text
                if (command && !composer.text().strip().contains(" ")) submit();
            }
            case ABORT -> completions.close();
            default -> { return false; }
        }
        return true;
    }
}
