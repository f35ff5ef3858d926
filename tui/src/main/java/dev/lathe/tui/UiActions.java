package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.screen.AlternateScreen;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.BlockView;
import dev.lathe.tui.view.Picker;
import dev.lathe.tui.view.TextPager;
import dev.lathe.tui.view.TranscriptPager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The UI's one effects port ({@link UiEffects}), carried out on its {@link UiState}: what reaches the server (its client
 * now, the streams followed), the terminal (the full screen of the transcript view, the notifications) and the files kept
 * beside the input history (the session last shown), and the UI's thread for follow-ups. Made right after the state and
 * before every part given it, so it needs none of them: the parts that need each other are composed in {@link Ui}.
 * Runs on the UI's one thread, like everything that touches the state.
 */
final class UiActions implements UiEffects {
    /** How many of the newest messages are printed when attaching to a session. */
    static final int HISTORY_SHOWN = 40;
    /** Messages the transcript view (ctrl+o) fetches at a time, newest first. */
    static final int PAGER_PAGE = 100;

    private final UiState state;
    /** The server now, its client and the event streams followed there. */
    private final ServerConnection server;
    /** The transcript view's screen. */
    private final AlternateScreen fullScreen;
    /** The terminal's notification (OSC 9) of an ask or a turn's end while the terminal is not focused. */
    private final TerminalNotices notices;
    /** The UI's queue: a follow-up put there runs on its thread. */
    private final BlockingQueue<Signal> signals;
    /** Which session this folder's UI showed last (bare {@code lathe} opens it again). */
    private final LastShown lastShown;

    UiActions(UiState state, ServerConnection server, AlternateScreen fullScreen, TerminalNotices notices, BlockingQueue<Signal> signals,
            LastShown lastShown) {
        this.state = state;
        this.server = server;
        this.fullScreen = fullScreen;
        this.notices = notices;
        this.signals = signals;
        this.lastShown = lastShown;
    }

    // ---- sessions

    /** The session the UI last showed in this folder, which a bare {@code lathe} opens again. */
    Optional<SessionId> lastShown() { return lastShown.of(state.directory()); }

    @Override
    public void attach(Session s) {
        AttachedSession attached = state.attached();
        Theme theme = theme();
        attached.attach(s);
        if (s.parentId().isEmpty()) lastShown.remember(state.directory(), s.id());
        server.follow(s);
        state.spend().clear();
        SessionStatus now = api().status(s.id());
        boolean busy = !(now instanceof SessionStatus.Idle);
        // the newest page only: a day-long session opens as fast as a short one (the pager, ctrl+o, pages back)
        var newest = api().messages(s.id(), HISTORY_SHOWN, Optional.empty());
        List<MessageWithParts> messages = newest.messages();
        attached.turn(attached.turn().attached(now, ServerSignals.since(messages, System.currentTimeMillis())));
        Optional<String> owner = SessionOwners.of(api()).of(s, List.of(), api());
        Optional<String> watching = owner.filter(o -> !SessionOwners.mayAct(api(), o));
        state.asks().state(AskSignals.opened(state.asks().state(), watching));
        attached.transcript().notice(List.of(AttributedString.EMPTY, new AttributedStringBuilder()
                .styled(theme.style(Role.ACCENT), "lathe")
                .styled(theme.style(Role.MUTED), " · " + (s.untitled() ? "new session" : s.title()) + " · " + s.id().value() + " · " + s.directory()
                        + owner.map(o -> " · owner " + o).orElse("")
                        + s.parentId().map(p -> " · subagent of " + p.value() + " (/sessions to go back)").orElse(""))
                .toAttributedString()));
        watching.ifPresent(o -> attached.transcript().notice(List.of(theme.paint(Role.MUTED,
                "You are watching " + o + "'s session: only " + o + " or an admin can prompt it or answer its asks."))));
        // its tools never run in a folder that is gone: the server makes the worktree again at the next message (issue 53)
        s.worktree().filter(t -> t.removedAt().isPresent()).ifPresent(t -> attached.transcript().notice(List.of(theme.paint(Role.WARNING,
                t.branch().isEmpty() ? "This session's worktree " + t.name() + " was removed, and only its WorktreeCreate hook can make it again:"
                        + " start a new session with lathe --worktree."
                        : "This session's worktree " + t.name() + " was removed. Your next message makes it again on branch " + t.branch()
                        + ", from the main checkout " + t.mainCheckout() + "."))));
        attached.transcript().load(messages, busy, HISTORY_SHOWN, newest.more());
        state.spend().reload(messages);
        ContextFill contextFill = state.contextFill();
        contextFill.reset();
        for (MessageWithParts m : messages) for (Part p : m.parts()) contextFill.part(p);
        contextFill.refresh();
        attached.todos(api().todos(s.id()));
        state.choice().limit();
        api().children(s.id()).forEach(c -> attached.child(c.id()));
        loadAsks(s.id());
    }

    /** The open asks of the session and its subagents, as the server has them now (on someone else's: said, not offered). */
    @Override
    public void loadAsks(SessionId id) {
        var open = new ArrayList<AskPanel.Ask>();
        api().permissions(state.directory()).stream().filter(p -> state.attached().inFamily(p.sessionId()))
                .forEach(p -> open.add(new AskPanel.Ask.Permission(p, !p.sessionId().equals(id))));
        api().questions(state.directory()).stream().filter(q -> state.attached().inFamily(q.sessionId()))
                .forEach(q -> open.add(new AskPanel.Ask.Questions(q, !q.sessionId().equals(id))));
        AskSignals.Step step = AskSignals.listed(state.asks().state(), open);
        state.asks().state(step.state());
        for (AskSignals.Effect effect : step.effects()) askEffect(effect);
    }

    /** One effect of an asks step: an answer sent, or a line that an ask waits for someone else. */
    @Override
    public void askEffect(AskSignals.Effect effect) {
        switch (effect) {
            case AskSignals.Effect.SendAnswer(AskPanel.Answer.ToPermission p) -> api().replyPermission(p.request().id(), p.reply());
            case AskSignals.Effect.SendAnswer(AskPanel.Answer.ToQuestions q) -> api().replyQuestion(q.request().id(), q.reply());
            case AskSignals.Effect.SayWaiting w -> notice(List.of(theme().paint(Role.MUTED, w.line())));
            // only a key on an ask interrupts, and the keys carry that out with the prompt's own reducer (KeyHandler);
            // here it can only mean the same: stop the running turn
            case AskSignals.Effect.Interrupt _ -> abort();
        }
    }

    /** A new session is made lazily, at the first message, so opening the UI leaves no empty sessions behind. */
    @Override
    public void newSession() {
        state.attached().detach();
        state.asks().state(AskSignals.opened(state.asks().state(), Optional.empty()));
        state.spend().clear();
        state.contextFill().reset();
        state.attached().transcript().notice(List.of(AttributedString.EMPTY, theme().paint(Role.MUTED, "lathe · new session in " + state.directory())));
    }

    @Override
    public Session ensureSession() {
        AttachedSession attached = state.attached();
        if (attached.session().isEmpty()) {
            ModelChoice choice = state.choice();
            Session created = api().createSession(new CreateSessionRequest(state.directory(), Optional.empty(), choice.agentChosen(), choice.modelChosen(),
                    Optional.empty()));
            attached.created(created);
            lastShown.remember(state.directory(), created.id());
            state.spend().clear();
            choice.limit();
        }
        return attached.session().get();
    }

    /** Fetches the models again when next needed (a key was saved: its provider's models are usable now). */
    @Override
    public void refreshModels() { state.choice().refresh(); }

    // ---- sending

    /** A message the input held: sent, or (refused: no model, no key, the server said no) put back to send again. */
    @Override
    public void send(String text, Delivery whenBusy) {
        try {
            prompt(text, whenBusy);
        } catch (RuntimeException e) {
            state.composer().offer(text);
            throw e;
        }
    }

    /**
     * {@code !command} (DESIGN §27): {@code POST /sessions/{id}/shell}, the user's own command with the sandbox the
     * session's commands have; off the UI thread, since it blocks until the command ends. Its part streams into the
     * transcript through the session's events; the next message's request carries it.
     */
    @Override
    public void shell(String command) {
        Session s = ensureSession();
        Thread.ofVirtual().name("lathe-shell").start(() -> {
            try {
                api().shell(s.id(), ShellRequest.of(command));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                later(() -> error("!" + command + ": " + message));
            }
        });
    }

    @Override
    public void prompt(String text) { prompt(text, Delivery.steer); }

    /** Sends {@code text}; to a busy session it is delivered as {@code whenBusy} (Enter steers, Tab queues). */
    private void prompt(String text, Delivery whenBusy) {
        Session s = ensureSession();
        AttachedSession attached = state.attached();
        Composer composer = state.composer();
        var parts = new ArrayList<InputPart>();
        parts.add(new InputPart.Text(text));
        for (String path : composer.takeMentioned()) {
            if (text.contains("@" + path)) {
                String abs = path.startsWith("/") ? path : s.directory() + "/" + path;
                parts.add(new InputPart.File("text/plain", path, "file://" + abs));
            }
        }
        boolean wasIdle = !attached.busy();
        attached.turn(attached.turn().sending(System.currentTimeMillis()));  // before the request: its events may come before it returns
        try {
            // Enter while the agent works steers: the running turn reads it at its next step; Tab queues it after the
            // turn (DESIGN §22; Esc stops)
            var chosen = new PromptRequest(parts, state.choice().agentChosen(), state.choice().modelChosen());
            // the mode the user chose (Shift+Tab, lathe --auto) goes to the server with each message; none chosen, the
            // folder's defaultMode applies there
            var request = state.choice().modeChosen().map(chosen::inMode).orElse(chosen);
            var accepted = api().prompt(s.id(), wasIdle ? request : request.delivered(whenBusy));
            if (!wasIdle) composer.queued(accepted.messageId(), text);
            if (!wasIdle && accepted.queued()) notice(whenBusy == Delivery.queue ? "queued: runs after the running turn" : "steered into the running turn");
            // the session's own model could not be used here (an imported session): which one goes on, and why
            accepted.notice().ifPresent(this::notice);
        } catch (RuntimeException e) {
            if (wasIdle) attached.turn(attached.turn().refused());
            throw e;
        }
    }

    @Override
    public void abort() {
        AttachedSession attached = state.attached();
        if (attached.session().isEmpty() || !attached.busy()) return;
        attached.turn(attached.turn().aborting());
        api().abort(attached.session().get().id());
    }

    @Override
    public void exit() { state.loop(state.loop().exiting()); }

    // ---- the server and the terminal

    /** What local-only mode refused before this UI attached: the footer says so as the live events do. */
    @Override
    public void loadBlocked() {
        state.blocked().listed(api(), state.directory()).ifPresent(state.composer()::hint);
    }

    @Override
    public void notify(Event event, String title) { notices.on(event, title); }

    /** The server was stopped with {@code lathe stop}: say so once, and how to go on; it is not started behind the user's back. */
    @Override
    public void serverStoppedOnPurpose() {
        state.attached().transcript().notice(List.of(AttributedString.EMPTY, theme().paint(Role.WARNING,
                "■ The server was stopped (lathe stop). Press Enter to start it again, or Ctrl+D to exit; the session is saved.")));
    }

    /** Opens the transcript view over the session as the server stored it, its newest page first. */
    @Override
    public void openTranscript() {
        if (state.session().isEmpty()) {
            state.composer().hint("nothing to show yet: the transcript view opens once the session has a message");
            return;
        }
        SessionId id = state.session().get().id();
        state.views().openPager(new TranscriptPager(id, api().messages(id, PAGER_PAGE, Optional.empty()),
                first -> api().messages(id, PAGER_PAGE, Optional.of(first)), BlockView.unabridged(theme(), state.attached().transcript().autos())));
        state.views().completion(CompletionList.State.CLOSED);
        fullScreen.open();
    }

    @Override
    public void openPage(String title, TextPager.Layout lines) {
        state.views().openPager(new TextPager(title, lines));
        state.views().completion(CompletionList.State.CLOSED);
        fullScreen.open();
    }

    @Override
    public void openPicker(Picker<?> p, Consumer<Object> onChoice) { openPicker(PickerState.of(p, onChoice)); }

    @Override
    public void openPicker(PickerState open) {
        state.views().picker(Optional.of(open));
        state.views().completion(CompletionList.State.CLOSED);
    }

    // ---- what the parts read, and the transcript's notices

    @Override
    public LatheApi api() { return server.api(); }

    @Override
    public String directory() { return state.directory(); }

    @Override
    public Theme theme() { return state.theme(); }

    @Override
    public Optional<Session> session() { return state.session(); }

    @Override
    public void offerInput(String text, String hint) { state.composer().offer(text, hint); }

    @Override
    public void later(Runnable followUp) { signals.add(new Signal.Finished(followUp)); }

    @Override
    public void notice(String text) { state.attached().transcript().notice(List.of(AttributedString.EMPTY, new AttributedString(text))); }

    @Override
    public void notice(List<AttributedString> lines) {
        var all = new ArrayList<AttributedString>();
        all.add(AttributedString.EMPTY);
        all.addAll(lines);
        state.attached().transcript().notice(all);
    }

    @Override
    public void error(String text) { state.attached().transcript().notice(List.of(AttributedString.EMPTY, theme().paint(Role.ERROR, "✗ " + text))); }
}
