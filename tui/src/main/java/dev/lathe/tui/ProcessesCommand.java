package dev.lathe.tui;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.api.ProcessInput;
import dev.lathe.protocol.session.Session;
import dev.lathe.tui.view.Picker;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /ps} in the terminal UI (DESIGN §32): a line per background command of the attached session, running ones
 * first, with its state, pid, age and last line; the one picked is shown (its last lines), typed into ({@code /ps send
 * ID TEXT}, offered in the input) or ended with everything it started. The same processes the model reads, not copies.
 * Their output is a program's text: the screen draws every row and notice through its terminal-text guard
 * ({@code VisibleControls}, DESIGN §24), so an escape sequence a process prints shows as its picture.
 */
final class ProcessesCommand {
    /** What {@code /ps} needs of the UI: a command's needs, the open session, pickers and the input. */
    interface Host extends CommandHost {
        Optional<Session> session();

        void openPicker(Picker<?> picker, Consumer<Object> onChoice);

        /** Puts {@code text} in the input when nothing is being typed there. */
        void offerInput(String text, String hint);
    }

    /** What can be done with the process picked. */
    enum Action { SHOW, TYPE, KILL }

    private final Host ui;

    ProcessesCommand(Host ui) { this.ui = ui; }

    /** {@code /ps}, {@code /ps send ID TEXT}, {@code /ps kill ID}. */
    void run(String arguments) {
        Optional<Session> session = ui.session();
        if (session.isEmpty()) {
            ui.notice("No background commands: no session yet.");
            return;
        }
        String[] words = arguments.strip().split("\\s+", 3);
        if (words[0].equals("send") && words.length >= 2) {
            send(session.get(), words[1], words.length == 3 ? words[2] : "");
            return;
        }
        if (words[0].equals("kill") && words.length == 2) {
            kill(session.get(), words[1]);
            return;
        }
        if (!arguments.isBlank()) {
            ui.error("usage: /ps, /ps send ID TEXT (types TEXT and Enter into it), /ps kill ID");
            return;
        }
        List<ProcessInfo> processes;
        try {
            processes = ordered(ui.api().processes().list(session.get().id()));
        } catch (LatheException e) {
            ui.error(e.getMessage());
            return;
        }
        if (processes.isEmpty()) {
            ui.notice("No background commands in this session: bash with \"background\": true starts one.");
            return;
        }
        long now = System.currentTimeMillis();
        var picker = Picker.of("Background commands of this session", "enter choose · esc close", processes, ProcessesCommand::label, p -> detail(p, now));
        ui.openPicker(picker, chosen -> choose(session.get(), (ProcessInfo) chosen));
    }

    /** Running ones first, then the others; newest first within each. */
    static List<ProcessInfo> ordered(List<ProcessInfo> processes) {
        return processes.stream().sorted(java.util.Comparator.comparing((ProcessInfo p) -> !p.state().equals("running"))
                .thenComparing(java.util.Comparator.comparingLong(ProcessInfo::startedAt).reversed())).toList();
    }

    /** The row: a mark for a running one, and the command line. */
    static String label(ProcessInfo p) {
        return (p.state().equals("running") ? "▶ " : "  ") + p.command();
    }

    /** After the row: state (with the exit code), pid, age, id, and its last line. */
    static String detail(ProcessInfo p, long now) {
        String state = p.exitCode().map(c -> p.state() + " (" + c + ")").orElse(p.state());
        String last = p.lastLines().isEmpty() ? "" : " · " + p.lastLines().getLast();
        return state + " · pid " + p.pid() + " · " + SessionsCommand.ago(now - p.startedAt()) + " · " + p.id() + last;
    }

    private void choose(Session session, ProcessInfo p) {
        List<Action> actions = p.state().equals("running") ? List.of(Action.SHOW, Action.TYPE, Action.KILL) : List.of(Action.SHOW);
        var picker = Picker.of(p.command(), "enter choose · esc close", actions, ProcessesCommand::actionLabel, ProcessesCommand::actionDetail);
        ui.openPicker(picker, chosen -> act(session, p, (Action) chosen));
    }

    static String actionLabel(Action action) {
        return switch (action) {
            case SHOW -> "Show its output";
            case TYPE -> "Type into it";
            case KILL -> "Kill it";
        };
    }

    private static String actionDetail(Action action) {
        return switch (action) {
            case SHOW -> "its last lines, here";
            case TYPE -> "what you send goes to its input (lathe attach --process ID follows it live)";
            case KILL -> "end it and everything it started; the model is told";
        };
    }

    private void act(Session session, ProcessInfo p, Action action) {
        switch (action) {
            case SHOW -> ui.notice(p.id() + " · " + p.command() + "\n" + String.join("\n", p.lastLines()));
            case TYPE -> ui.offerInput("/ps send " + p.id() + " ", "text for " + p.id() + " (Enter sends it with a line break)");
            case KILL -> kill(session, p.id());
        }
    }

    private void send(Session session, String id, String text) {
        off("lathe-ps-send", () -> {
            ui.api().processes().input(session.id(), id, new ProcessInput(text + "\n"));
            return "Sent to " + id + ".";
        });
    }

    private void kill(Session session, String id) {
        off("lathe-ps-kill", () -> {
            ui.api().processes().kill(session.id(), id);
            return "Ended " + id + " and everything it started.";
        });
    }

    /** A request that may take a while (a kill waits for the tree to go), off the UI thread; its outcome a notice. */
    private void off(String name, Request request) {
        Thread.ofVirtual().name(name).start(() -> {
            Runnable followUp;
            try {
                String done = request.run();
                followUp = () -> ui.notice(done);
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }

    /** One request to the server, saying what it did. */
    private interface Request {
        String run();
    }
}
