package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.Transcript;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * What a server event changes in the UI's state: the session, its status and todos, the asks of the session and its
 * subagents, the footer's figures, and the transcript; and the catching up when events were missed. Runs on the UI's
 * one thread, like everything that touches the UI's state, which it is given piece by piece where the UI is composed.
 */
final class ServerEvents {
    /** What the events need of the UI beyond its state: the transcript's notices, the asks' effects, fetching again. */
    interface Host {
        /** Lines in the transcript, after an empty one. */
        void notice(List<AttributedString> lines);

        /** A failure in the transcript, marked as one. */
        void error(String text);

        /** An asks step: its state becomes the asks', its effects run. */
        void asks(AskSignals.Step step);

        /** The open asks of the session and its subagents, fetched again. */
        void loadAsks(SessionId id);

        /** What local-only mode refused for this folder, fetched again. */
        void loadBlocked();

        /** Whether a slash command waiting for this event took it (the command says what it did). */
        boolean commandFinished(Event event);
    }

    private final ServerConnection server;
    private final AttachedSession attached;
    private final Composer composer;
    private final OpenAsks asks;
    private final ModelChoice choice;
    private final TurnSpend spend;
    private final ContextFill contextFill;
    private final McpServers mcp;
    private final BlockedTally blocked;
    private final TerminalNotices notices;
    private final Theme theme;
    private final Host host;

    ServerEvents(ServerConnection server, AttachedSession attached, Composer composer, OpenAsks asks, ModelChoice choice, TurnSpend spend,
            ContextFill contextFill, McpServers mcp, BlockedTally blocked, TerminalNotices notices, Theme theme, Host host) {
        this.server = server;
        this.attached = attached;
        this.composer = composer;
        this.asks = asks;
        this.choice = choice;
        this.spend = spend;
        this.contextFill = contextFill;
        this.mcp = mcp;
        this.blocked = blocked;
        this.notices = notices;
        this.theme = theme;
        this.host = host;
    }

    /** A queued message the server withdrew when the turn was aborted: back into the input, so it is not lost. */
    private void withdrawn(MessageId id) {
        if (!composer.withdrawn(id)) return;
        host.notice(List.of(theme.paint(Role.MUTED, "↩ Not sent to the model: the turn was interrupted; your queued message is back in the input")));
    }

    void onEvent(Event event) {
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(attached::inFamily).isPresent()) attached.child(c.session().id());
        if (event instanceof Event.Resync) {
            resync();
            mcp.load();
            host.loadBlocked();
            return;
        }
        if (event instanceof Event.McpStatusChanged m) {
            mcp.changed(m.server());
            return;
        }
        // an edit may have removed servers, which no status event reports
        if (event instanceof Event.ConfigUpdated u && ownFolder(u.folder())) mcp.load();
        if (configNotice(event) || host.commandFinished(event)) return;
        Optional<SessionId> of = Event.sessionOf(event);
        if (of.isEmpty() || !attached.inFamily(of.get())) return;
        boolean main = attached.isMain(of.get());
        switch (event) {
            case Event.PermissionAsked a -> host.asks(AskSignals.arrived(asks.state(), new AskPanel.Ask.Permission(a.request(), !main)));
            case Event.QuestionAsked q -> host.asks(AskSignals.arrived(asks.state(), new AskPanel.Ask.Questions(q.request(), !main)));
            case Event.PermissionReplied r -> host.asks(AskSignals.resolved(asks.state(), r.permissionId().value()));
            case Event.QuestionReplied r -> host.asks(AskSignals.resolved(asks.state(), r.questionId().value()));
            default -> { }
        }
        // a subagent's ask is the user's too; only the attached session's turn ends are
        if (main || event instanceof Event.PermissionAsked || event instanceof Event.QuestionAsked) notices.on(event, attached.session().map(s -> s.title()).orElse(""));
        if (!main) return;
        if (event instanceof Event.MessageRemoved r) withdrawn(r.messageId());
        // the stopped turn left a queued message not run (it stays in the transcript): its text comes back to the input
        if (event instanceof Event.PartUpdated u && u.part() instanceof Part.Text t && t.synthetic()
                && PromptNotRun.marks(List.of(t))) {
            withdrawn(t.messageId());
        }
        switch (event) {
            case Event.SessionUpdated u -> {
                boolean modelChanged = attached.session().map(s -> !s.model().equals(u.session().model())).orElse(true);
                attached.updated(u.session());
                spend.settle(u.session().usage().total());
                if (modelChanged) choice.limit();
            }
            case Event.SessionStatusChanged s -> attached.turn(attached.turn().statusChanged(s.status(), System.currentTimeMillis()));
            case Event.TodoUpdated t -> attached.todos(t.todos());
            case Event.PartUpdated p -> {
                contextFill.part(p.part());
                if (p.part() instanceof Part.StepFinish f) {
                    contextFill.refresh();
                    spend.step(f);
                }
            }
            case Event.MessageUpdated m when m.info() instanceof AssistantMessage a ->
                    spend.answer(a, attached.session().map(s -> s.usage().total()).orElse(0L));
            default -> { }
        }
        attached.transcript().apply(event);
    }

    /**
     * Events were missed (the server's replay ring no longer had them): bring what is live up to date from the
     * stored state without printing again what is already in the scrollback.
     */
    void resync() {
        if (attached.session().isEmpty()) return;
        SessionId id = attached.session().get().id();
        attached.updated(server.api().session(id));
        List<MessageWithParts> messages = server.api().messages(id, 2, Optional.empty()).messages();
        spend.reload(messages);
        for (MessageWithParts m : messages) {
            attached.transcript().apply(new Event.MessageUpdated(m.info()));
            for (Part p : m.parts()) attached.transcript().apply(new Event.PartUpdated(p));
        }
        attached.turn(attached.turn().resynced(server.api().status(id), since(messages)));
        attached.transcript().apply(new Event.SessionStatusChanged(id, attached.turn().status()));
        attached.todos(server.api().todos(id));
        host.loadAsks(id);
    }

    /** A missed idle event must not leave the spinner running forever: ask the server now and then. */
    void pollStatus() {
        if (attached.session().isEmpty() || !attached.busy()) return;
        try {
            SessionStatus now = server.api().status(attached.session().get().id());
            if (now instanceof SessionStatus.Idle) attached.transcript().apply(new Event.SessionStatusChanged(attached.session().get().id(), now));
            attached.turn(attached.turn().withStatus(now));
        } catch (RuntimeException e) {
            // the next tick tries again
        }
    }

    /** The running turn's start by the server's clock, never in this client's future. */
    static long since(List<MessageWithParts> messages) {
        long now = System.currentTimeMillis();
        return Math.min(now, Transcript.turnStart(messages).orElse(now));
    }

    /** A config file of this session's folder changed: shown at once, so an edit's error is never a surprise later. */
    private boolean configNotice(Event event) {
        switch (event) {
            case Event.ConfigErrored e when ownFolder(e.folder()) -> host.error("config: " + e.message()
                    + " (a running turn keeps the last good config; new prompts are refused until it is fixed)");
            case Event.ConfigUpdated u when ownFolder(u.folder()) -> host.notice(List.of(theme.paint(Role.MUTED, "config reloaded")));
            // local-only mode refused a connection (each once): said in the transcript and, until the next key, the footer
            case Event.NetworkBlocked b when b.folder().isEmpty() || ownFolder(b.folder()) -> {
                if (blocked.add(b.folder(), b.host(), b.by())) {
                    host.notice(List.of(theme.paint(Role.WARNING, "⊘ local-only: blocked " + b.by() + " → " + b.host() + " (nothing was sent)")));
                    composer.hint(blocked.hint());
                }
            }
            default -> { return false; }
        }
        return true;
    }

    private boolean ownFolder(String directory) {
        return attached.session().map(s -> s.directory().equals(directory)).orElse(true);
    }

}
