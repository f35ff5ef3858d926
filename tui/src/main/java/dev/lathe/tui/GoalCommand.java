package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.term.GoalCheck;
import dev.lathe.tui.text.Role;
import java.util.List;
import java.util.Optional;

/**
 * {@code /goal CMD} in the terminal UI (DESIGN §18, as {@code lathe run --until CMD}): the check runs now, on the server
 * as bash does (the session's rules: an ask shows in the ask panel like any other), and while it fails its outcome is
 * sent as the next prompt; when that turn ends the check runs again, for at most {@value GoalCheck#DEFAULT_MAX_TURNS}
 * turns. {@code /goal} says what runs, {@code /goal off} stops the loop; a turn that fails or is stopped (Esc) stops it
 * too. The checks and the waits for a turn's end run on a virtual thread, never on the UI's.
 */
final class GoalCommand {
    /** What the goal command needs of the UI: a command's needs, the open session, and sending a prompt to it. */
    interface Host extends CommandHost {
        Optional<Session> session();

        /** Sends {@code text} to the open session as the user's prompt (on the UI thread). */
        void prompt(String text);
    }

    /** How often the wait for a turn's end asks the session's status (the UI's own events draw the turn meanwhile). */
    private static final long POLL_MILLIS = 300;

    private final Host ui;
    /** The loop running now; replaced (and so stopped) by {@code /goal off} or another {@code /goal}. UI thread only. */
    private Optional<Loop> loop = Optional.empty();

    GoalCommand(Host ui) { this.ui = ui; }

    /** One loop: its check, the session it runs in, and whether it was stopped. */
    private static final class Loop {
        final String check;
        final SessionId session;
        volatile boolean stopped;

        Loop(String check, SessionId session) {
            this.check = check;
            this.session = session;
        }
    }

    void run(String arguments) {
        String text = arguments.strip();
        if (text.isEmpty()) {
            ui.notice(loop.map(l -> "Goal: `" + l.check + "` runs after each turn until it exits 0; /goal off stops it.")
                    .orElse("No goal. /goal CMD runs CMD after each turn and sends its output back until it exits 0 (e.g. /goal npm test)."));
            return;
        }
        if (text.equals("off")) {
            loop.ifPresentOrElse(l -> stop(l, "Goal stopped."), () -> ui.notice("No goal runs."));
            return;
        }
        Optional<Session> session = ui.session();
        if (session.isEmpty()) {
            ui.error("/goal checks the work of a session: send a message first, then /goal " + text);
            return;
        }
        loop.ifPresent(l -> l.stopped = true);
        var started = new Loop(text, session.get().id());
        loop = Optional.of(started);
        ui.notice(List.of(ui.theme().paint(Role.ACCENT, "◎ Goal: `" + text + "` exits 0"), ui.theme().paint(Role.MUTED,
                "  it runs now and after each turn (at most " + GoalCheck.DEFAULT_MAX_TURNS + "); while it fails, its output is the next prompt · /goal off stops")));
        Thread.ofVirtual().name("lathe-goal").start(() -> check(started, 1));
    }

    /** Off the UI thread: waits until no turn runs, then runs the check; its outcome is handled on the UI thread. */
    private void check(Loop l, int turn) {
        try {
            waitForIdle(l);
            if (l.stopped) return;
            if (turn > 1 && lastTurnFailed(l.session)) {
                ui.later(() -> stop(l, "Goal stopped: the last turn failed or was stopped."));
                return;
            }
            MessageWithParts answer = ui.api().shell(l.session, ShellRequest.goalCheck(l.check));
            GoalCheck check = GoalCheck.of(l.check, answer);
            ui.later(() -> checked(l, check, turn));
        } catch (LatheException e) {
            ui.later(() -> failed(l, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ui.later(() -> failed(l, e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** On the UI thread: the check's outcome, then the goal reached, given up, or the next turn. */
    private void checked(Loop l, GoalCheck check, int turn) {
        if (l.stopped) return;
        int max = GoalCheck.DEFAULT_MAX_TURNS;
        boolean passed = check.passed();
        ui.notice(List.of(ui.theme().paint(passed ? Role.SUCCESS : Role.MUTED, (passed ? "✓ " : "· ") + check.line(turn, max).substring("lathe: ".length()))));
        if (passed) {
            finish(l, "✓ Goal reached.");
        } else if (check.ending() == GoalCheck.Ending.NOT_RUN) {
            failed(l, "the check could not run: " + check.output().strip().lines().findFirst().orElse(""));
        } else if (turn >= max) {
            failed(l, "goal not reached: `" + l.check + "` still fails after " + max + " turns");
        } else {
            try {
                ui.prompt(check.followUp(turn, max));
            } catch (RuntimeException e) {
                failed(l, "the goal's next prompt was not sent: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return;
            }
            Thread.ofVirtual().name("lathe-goal").start(() -> check(l, turn + 1));
        }
    }

    /** Waits until the session's turn (if one runs or is starting) ended: idle twice in a row, as {@code lathe run} waits. */
    private void waitForIdle(Loop l) throws InterruptedException {
        int idle = 0;
        while (idle < 2 && !l.stopped) {
            Thread.sleep(POLL_MILLIS);
            idle = ui.api().status(l.session) instanceof SessionStatus.Idle ? idle + 1 : 0;
        }
    }

    /** Whether the session's last answer ended with an error (a failed turn, an abort): the loop must not go on. */
    private boolean lastTurnFailed(SessionId session) {
        List<MessageWithParts> last = ui.api().messages(session, 1, Optional.empty()).messages();
        return !last.isEmpty() && last.getLast().info() instanceof AssistantMessage a && a.error().isPresent();
    }

    private void failed(Loop l, String message) {
        if (l.stopped) return;
        l.stopped = true;
        loop = loop.filter(current -> current != l);
        ui.error(message);
    }

    private void finish(Loop l, String message) {
        l.stopped = true;
        loop = loop.filter(current -> current != l);
        ui.notice(List.of(ui.theme().paint(Role.SUCCESS, message)));
    }

    private void stop(Loop l, String message) {
        l.stopped = true;
        loop = loop.filter(current -> current != l);
        ui.notice(message);
    }
}
