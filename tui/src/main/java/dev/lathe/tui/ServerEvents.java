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
import dev.lathe.tui.view.AskPanel;
import dev.lathe.tui.view.Transcript;
import java.util.List;
import java.util.Optional;

/**
 * What a server event changes in the UI's state: the session, its status and todos, the asks of the session and its
 * subagents, the footer's figures, and the transcript; and the catching up when events were missed. Runs on the UI's
 * one thread, like everything that touches {@link Ui}'s state.
 */
final class ServerEvents {
    private final Ui ui;

    ServerEvents(Ui ui) { this.ui = ui; }

    /** A queued message the server withdrew when the turn was aborted: back into the input, so it is not lost. */
    private void withdrawn(MessageId id) {
        if (!ui.composer.withdrawn(id)) return;
        ui.notice(List.of(ui.theme.paint(Role.MUTED, "↩ Not sent to the model: the turn was interrupted; your queued message is back in the input")));
    }

    void onEvent(Event event) {
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(ui.attached::inFamily).isPresent()) ui.attached.child(c.session().id());
        if (event instanceof Event.Resync) {
            resync();
            ui.loadMcp();
            ui.loadBlocked();
            return;
        }
        if (event instanceof Event.McpStatusChanged m) {
            ui.mcp = ui.mcp.with(m.server());
            return;
        }
        // an edit may have removed servers, which no status event reports
        if (event instanceof Event.ConfigUpdated u && ownFolder(u.folder())) ui.loadMcp();
        if (configNotice(event) || ui.mcpCommands.finished(event) || ui.connectCommand.finished(event)) return;
        Optional<SessionId> of = Event.sessionOf(event);
        if (of.isEmpty() || !ui.attached.inFamily(of.get())) return;
        boolean main = ui.attached.isMain(of.get());
        switch (event) {
            case Event.PermissionAsked a -> ui.asks(AskSignals.arrived(ui.asks, new AskPanel.Ask.Permission(a.request(), !main)));
            case Event.QuestionAsked q -> ui.asks(AskSignals.arrived(ui.asks, new AskPanel.Ask.Questions(q.request(), !main)));
            case Event.PermissionReplied r -> ui.asks(AskSignals.resolved(ui.asks, r.permissionId().value()));
            case Event.QuestionReplied r -> ui.asks(AskSignals.resolved(ui.asks, r.questionId().value()));
            default -> { }
        }
        // a subagent's ask is the user's too; only the attached session's turn ends are
        if (main || event instanceof Event.PermissionAsked || event instanceof Event.QuestionAsked) ui.notices.on(event, ui.attached.session().map(s -> s.title()).orElse(""));
        if (!main) return;
        if (event instanceof Event.MessageRemoved r) withdrawn(r.messageId());
        // the stopped turn left a queued message not run (it stays in the transcript): its text comes back to the input
        if (event instanceof Event.PartUpdated u && u.part() instanceof Part.Text t && t.synthetic()
                && PromptNotRun.marks(List.of(t))) {
            withdrawn(t.messageId());
        }
        switch (event) {
            case Event.SessionUpdated u -> {
                boolean modelChanged = ui.attached.session().map(s -> !s.model().equals(u.session().model())).orElse(true);
                ui.attached.updated(u.session());
                ui.spend.settle(u.session().usage().total());
                if (modelChanged) ui.choice.limit();
            }
            case Event.SessionStatusChanged s -> ui.attached.turn(ui.attached.turn().statusChanged(s.status(), System.currentTimeMillis()));
            case Event.TodoUpdated t -> ui.attached.todos(t.todos());
            case Event.PartUpdated p -> {
                ui.contextFill.part(p.part());
                if (p.part() instanceof Part.StepFinish f) {
                    ui.contextFill.refresh();
                    ui.spend.step(f);
                }
            }
            case Event.MessageUpdated m when m.info() instanceof AssistantMessage a ->
                    ui.spend.answer(a, ui.attached.session().map(s -> s.usage().total()).orElse(0L));
            default -> { }
        }
        ui.attached.transcript().apply(event);
    }

    /**
     * Events were missed (the server's replay ring no longer had them): bring what is live up to date from the
     * stored state without printing again what is already in the scrollback.
     */
    void resync() {
        if (ui.attached.session().isEmpty()) return;
        SessionId id = ui.attached.session().get().id();
        ui.attached.updated(ui.api().session(id));
        List<MessageWithParts> messages = ui.api().messages(id, 2, Optional.empty()).messages();
        ui.spend.reload(messages);
        for (MessageWithParts m : messages) {
            ui.attached.transcript().apply(new Event.MessageUpdated(m.info()));
            for (Part p : m.parts()) ui.attached.transcript().apply(new Event.PartUpdated(p));
        }
        ui.attached.turn(ui.attached.turn().resynced(ui.api().status(id), since(messages)));
        ui.attached.transcript().apply(new Event.SessionStatusChanged(id, ui.attached.turn().status()));
        ui.attached.todos(ui.api().todos(id));
        ui.loadAsks(id);
    }

    /** A missed idle event must not leave the spinner running forever: ask the server now and then. */
    void pollStatus() {
        if (ui.attached.session().isEmpty() || !ui.busy()) return;
        try {
            SessionStatus now = ui.api().status(ui.attached.session().get().id());
            if (now instanceof SessionStatus.Idle) ui.attached.transcript().apply(new Event.SessionStatusChanged(ui.attached.session().get().id(), now));
            ui.attached.turn(ui.attached.turn().withStatus(now));
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
            case Event.ConfigErrored e when ownFolder(e.folder()) -> ui.error("config: " + e.message()
                    + " (a running turn keeps the last good config; new prompts are refused until it is fixed)");
            case Event.ConfigUpdated u when ownFolder(u.folder()) -> ui.notice(List.of(ui.theme.paint(Role.MUTED, "config reloaded")));
            // local-only mode refused a connection (each once): said in the transcript and, until the next key, the footer
            case Event.NetworkBlocked b when b.folder().isEmpty() || ownFolder(b.folder()) -> {
                if (ui.blocked.add(b.folder(), b.host(), b.by())) {
                    ui.notice(List.of(ui.theme.paint(Role.WARNING, "⊘ local-only: blocked " + b.by() + " → " + b.host() + " (nothing was sent)")));
                    ui.composer.hint(ui.blocked.hint());
                }
            }
            default -> { return false; }
        }
        return true;
    }

    private boolean ownFolder(String directory) {
        return ui.attached.session().map(s -> s.directory().equals(directory)).orElse(true);
    }

}
