package dev.lathe.tui;

import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.term.Money;
import dev.lathe.tui.view.Picker;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /agents} in the terminal UI (issue 56, DESIGN §22 "Background subagents"): a line per subagent of the attached
 * session, running ones first, each with its status, cost and last activity; the one picked is watched (the UI attaches
 * to it and shows its turn live), prompted (attached, with the input ready for a message to it) or cancelled (its
 * session aborted, which ends a background task as {@code cancelled}). The titles are the model's words: the screen
 * draws every row through its terminal-text guard ({@code VisibleControls}, DESIGN §24).
 */
final class AgentsCommand {
    /** What {@code /agents} needs of the UI: a command's needs, the open session, pickers, attaching, and the input. */
    interface Host extends CommandHost {
        Optional<Session> session();

        void openPicker(Picker<?> picker, Consumer<Object> onChoice);

        /** Shows {@code session} instead of the one open now, live. */
        void attach(Session session);

        /** Puts {@code text} in the input when nothing is being typed there. */
        void offerInput(String text, String hint);
    }

    /** What can be done with the child picked. */
    enum Action { WATCH, PROMPT, CANCEL }

    private final Host ui;

    AgentsCommand(Host ui) { this.ui = ui; }

    void run() {
        Optional<Session> session = ui.session();
        if (session.isEmpty()) {
            ui.notice("No subagents: no session yet.");
            return;
        }
        List<ChildSession> children;
        try {
            children = ordered(ui.api().childSessions(session.get().id()));
        } catch (LatheException e) {
            ui.error(e.getMessage());
            return;
        }
        if (children.isEmpty()) {
            ui.notice("No subagents in this session yet: the task tool starts them (\"background\": true runs one while the session goes on).");
            return;
        }
        long now = System.currentTimeMillis();
        var picker = Picker.of("Subagents of this session", "enter choose · esc close", children, AgentsCommand::label, c -> detail(c, now));
        ui.openPicker(picker, chosen -> choose((ChildSession) chosen));
    }

    /** Running children first, then the others; newest first within each. */
    static List<ChildSession> ordered(List<ChildSession> children) {
        return children.stream().sorted(Comparator.comparing((ChildSession c) -> !running(c))
                .thenComparing(Comparator.comparingLong((ChildSession c) -> c.session().createdAt()).reversed())).toList();
    }

    /** Running, or running and waiting for an answer: either can be watched, prompted and cancelled. */
    static boolean running(ChildSession child) { return child.status().equals("running") || child.status().equals("waiting"); }

    /** The row: the task's description (the child's title) and, for a background one, a mark saying so. */
    static String label(ChildSession child) {
        String title = child.session().title().isBlank() ? "(untitled)" : child.session().title();
        return (child.task().isPresent() ? "◆ " : "  ") + title;
    }

    /** After the row: status, cost, last activity, and the id (the task's id, which {@code task_cancel} takes). */
    static String detail(ChildSession child, long now) {
        Session s = child.session();
        return child.status() + " · " + Money.cost(s.cost(), s.usage(), s.importedFrom().isPresent()) + " · " + SessionsCommand.ago(now - s.updatedAt()) + " · " + s.id().value();
    }

    private void choose(ChildSession child) {
        List<Action> actions = running(child) ? List.of(Action.WATCH, Action.PROMPT, Action.CANCEL) : List.of(Action.WATCH, Action.PROMPT);
        var picker = Picker.of(child.session().title(), "enter choose · esc close", actions, AgentsCommand::actionLabel, AgentsCommand::actionDetail);
        ui.openPicker(picker, chosen -> act(child, (Action) chosen));
    }

    static String actionLabel(Action action) {
        return switch (action) {
            case WATCH -> "Watch it";
            case PROMPT -> "Prompt it";
            case CANCEL -> "Cancel it";
        };
    }

    private static String actionDetail(Action action) {
        return switch (action) {
            case WATCH -> "show its turn live here (/sessions goes back)";
            case PROMPT -> "what you type next goes to it";
            case CANCEL -> "stop it; its parent receives its result as cancelled";
        };
    }

    private void act(ChildSession child, Action action) {
        switch (action) {
            case WATCH -> ui.attach(child.session());
            case PROMPT -> {
                ui.attach(child.session());
                ui.offerInput("", "message for " + child.session().agent() + " (the subagent)");
            }
            case CANCEL -> cancel(child);
        }
    }

    private void cancel(ChildSession child) {
        Thread.ofVirtual().name("lathe-agents-cancel").start(() -> {
            Runnable followUp;
            try {
                ui.api().abort(child.session().id());
                followUp = () -> ui.notice("Cancelled " + child.session().title() + "; its parent receives its result as cancelled.");
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }
}
