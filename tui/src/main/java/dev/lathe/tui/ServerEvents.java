package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jline.utils.AttributedString;

/**
 * Carries out what a server event changes in the UI's state: the session, its status and todos, the asks of the session
 * and its subagents, the footer's figures, and the transcript; and the catching up when events were missed. The
 * decisions are {@link ServerSignals}' steps; here their state becomes the loop's and their effects run (the requests to
 * the server among them). Runs on the UI's one thread, like everything that touches the UI's {@link UiState}.
 */
final class ServerEvents {
    /** What the events need of the UI beyond its state: the transcript's notices, the asks' effects, fetching again. */
    interface Host {
        /** Lines in the transcript, after an empty one. */
        void notice(List<AttributedString> lines);

        /** A failure in the transcript, marked as one. */
        void error(String text);

        /** An ask's effect (saying that an ask waits for a watched session's owner), run as the keys' are. */
        void askEffect(AskSignals.Effect effect);

        /** The open asks of the session and its subagents, fetched again. */
        void loadAsks(SessionId id);

        /** What local-only mode refused for this folder, fetched again. */
        void loadBlocked();

        /** The terminal's notification of {@code event} (an ask, a turn's end), when the user looks elsewhere. */
        void notify(Event event, String title);
    }

    private final UiState ui;
    private final ServerConnection server;
    /** A slash command waiting for this event takes it (the command says what it did). */
    private final Predicate<Event> commandFinished;
    private final Host host;

    ServerEvents(UiState ui, ServerConnection server, Predicate<Event> commandFinished, Host host) {
        this.ui = ui;
        this.server = server;
        this.commandFinished = commandFinished;
        this.host = host;
    }

    void onEvent(Event event) { apply(ServerSignals.on(state(), event, System.currentTimeMillis())); }

    /**
     * Events were missed (the server's replay ring no longer had them): the session's stored state fetched, then brought
     * into what is live by {@link ServerSignals#resynced}.
     */
    void resync() {
        if (ui.session().isEmpty()) return;
        SessionId id = ui.session().get().id();
        Session stored = server.api().session(id);
        List<MessageWithParts> newest = server.api().messages(id, 2, Optional.empty()).messages();
        SessionStatus status = server.api().status(id);
        List<Todo> todos = server.api().todos(id);
        apply(ServerSignals.resynced(state(), stored, newest, status, todos, System.currentTimeMillis()));
    }

    /**
     * The server is back (or another one answers in its place, the daemon started again): follow its events and bring
     * the session up to date from what it stored.
     *
     * @throws RuntimeException when the new server cannot be subscribed to (then nothing changed)
     */
    void switchServer(ServerLink.Connection fresh) {
        server.switchTo(fresh);
        ui.choice().refresh();
        resync();
        ui.mcp().load();
        host.loadBlocked();
        host.notice(List.of(ui.theme().paint(Role.SUCCESS, "⟳ Reconnected to the server at " + server.label())));
    }

    /** A missed idle event must not leave the spinner running forever: ask the server now and then. */
    void pollStatus() {
        if (!ServerSignals.polls(state())) return;
        SessionStatus now;
        try {
            now = server.api().status(ui.session().get().id());
        } catch (RuntimeException e) {
            return;  // the next tick tries again
        }
        apply(ServerSignals.polled(state(), now));
    }

    /** The reducer's view of the loop's state: the values the objects hold, nothing copied. */
    private ServerSignals.State state() {
        AttachedSession attached = ui.attached();
        Composer composer = ui.composer();
        return new ServerSignals.State(attached.session(), attached.family(), attached.turn(), attached.todos(), ui.asks().state(), composer.state(),
                composer.queued(), ui.blocked().seen());
    }

    /** The step's state becomes the loop's, then its effects run in order (they may read the state just written). */
    private void apply(ServerSignals.Step step) {
        ServerSignals.State now = step.state();
        AttachedSession attached = ui.attached();
        Composer composer = ui.composer();
        ContextFill contextFill = ui.contextFill();
        TurnSpend spend = ui.spend();
        Theme theme = ui.theme();
        now.session().ifPresent(attached::updated);
        attached.family(now.family());
        attached.turn(now.turn());
        attached.todos(now.todos());
        ui.asks().state(now.asks());
        composer.state(now.prompt());
        composer.queued(now.queued());
        ui.blocked().seen(now.blocked());
        for (ServerSignals.Effect effect : step.effects()) {
            switch (effect) {
                case ServerSignals.Effect.Show s -> attached.transcript().apply(s.event());
                case ServerSignals.Effect.Notice n -> host.notice(List.of(theme.paint(n.role(), n.line())));
                case ServerSignals.Effect.Error e -> host.error(e.text());
                case ServerSignals.Effect.Notify n -> host.notify(n.event(), n.title());
                case ServerSignals.Effect.Ask a -> host.askEffect(a.effect());
                case ServerSignals.Effect.Resync _ -> resync();
                case ServerSignals.Effect.LoadMcp _ -> ui.mcp().load();
                case ServerSignals.Effect.McpChanged m -> ui.mcp().changed(m.server());
                case ServerSignals.Effect.LoadBlocked _ -> host.loadBlocked();
                case ServerSignals.Effect.LoadAsks l -> host.loadAsks(l.session());
                case ServerSignals.Effect.CommandFinished c -> commandFinished.test(c.event());
                case ServerSignals.Effect.LimitModels _ -> ui.choice().limit();
                case ServerSignals.Effect.ContextPart c -> contextFill.part(c.part());
                case ServerSignals.Effect.StepSpent f -> {
                    contextFill.refresh();
                    spend.step(f.step()).forEach(w -> host.notice(List.of(theme.paint(Role.WARNING, "⚠ " + w))));
                }
                case ServerSignals.Effect.AnswerSpent a -> spend.answer(a.answer(), a.sessionTokens());
                case ServerSignals.Effect.Settled t -> spend.settle(t.sessionTokens());
                case ServerSignals.Effect.ReloadSpend r -> spend.reload(r.messages());
            }
        }
    }
}
