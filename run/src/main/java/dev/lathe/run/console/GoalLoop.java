package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.term.GoalCheck;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code lathe run --until CMD [--max-turns N] MESSAGE} (DESIGN §18): a turn with MESSAGE, then the check, then, while
 * the check fails, a turn whose prompt is the check's outcome ({@link GoalCheck#followUp}), in the same session. It ends
 * with 0 once the check exits 0, with 1 when the check still fails after {@code maxTurns} turns, and with a turn's own
 * code when a turn fails or is stopped (a spend limit: 4, a rejected permission: 3, Ctrl-C: 130), as {@code lathe run}
 * would. Each turn is a {@link HeadlessRun}, printed as one.
 *
 * <p>The check runs on the server, in the session's folder, as the user's shell command does
 * ({@code POST /sessions/{id}/shell} with {@code check}), so it gets bash's sandbox and is decided by the session's bash
 * rules there: a deny refuses it (this loop then ends with 2, the check being unusable as written); an ask is answered
 * allow-once by the server, with or without {@code --allow-all}: the user wrote the check on their own command line, which
 * is the answer an ask would wait for (the TUI's {@code /goal} asks once, when the user types it).
 */
public final class GoalLoop implements ConsoleRun {
    /** A check sent while the session is still settling after its turn (409) is sent again, this often, 0.5 s apart. */
    private static final int BUSY_RETRIES = 20;

    /** The check command and the turns the loop takes at most. */
    public record Goal(String check, int maxTurns) {}

    /** What follows a check. */
    sealed interface Next {
        /** The loop ends with this exit code. */
        record Stop(int exitCode) implements Next {}

        /** Another turn, with this prompt. */
        record Turn(String prompt) implements Next {}
    }

    private final LatheApi api;
    private final RunOptions options;
    private final Goal goal;
    private final PrintStream out;
    private final PrintStream err;
    /** The turn running now, for Ctrl-C; null while the check runs. */
    private volatile HeadlessRun current;
    /** The session, once the first turn made or found it. */
    private volatile Optional<Session> started = Optional.empty();
    private volatile boolean interrupted;

    public GoalLoop(LatheApi api, RunOptions options, Goal goal, PrintStream out, PrintStream err) {
        this.api = api;
        this.options = options;
        this.goal = goal;
        this.out = out;
        this.err = err;
    }

    /** Runs turns and checks until the check passes or the loop must stop; returns the exit code of {@code lathe run}. */
    @Override
    public int run() throws InterruptedException {
        RunOptions turnOptions = options;
        for (int turn = 1; ; turn++) {
            HeadlessRun run = new HeadlessRun(api, turnOptions, out, err);
            current = run;
            int code = run.run();
            if (started.isEmpty()) started = run.started();
            current = null;
            // a turn that failed or was stopped ends the loop with its own code (a spend limit's 4 among them)
            if (code != ExitCode.FINISHED || interrupted) return interrupted ? ExitCode.INTERRUPTED : code;
            if (started.isEmpty()) return code;  // nothing ran in a session: /undo and the like
            SessionId session = started.get().id();
            GoalCheck check;
            try {
                check = check(session);
            } catch (LatheException e) {
                err.println("lathe: " + refusal(e));
                err.flush();
                return e.code().equals("permission_rejected") ? ExitCode.PERMISSION_REJECTED : ExitCode.USAGE;
            } catch (RuntimeException e) {
                err.println("lathe: the check `" + goal.check() + "` could not be sent: " + e.getMessage());
                return ExitCode.MODEL_ERROR;
            }
            if (interrupted) return ExitCode.INTERRUPTED;
            err.println(check.line(turn, goal.maxTurns()));
            err.flush();
            if (options.format() == OutputFormat.json) {
                out.println(check.json(turn, goal.maxTurns()));
                out.flush();
            }
            switch (after(check, turn, goal.maxTurns())) {
                case Next.Stop stop -> {
                    if (stop.exitCode() != ExitCode.FINISHED) err.println(gaveUp(check, session));
                    return stop.exitCode();
                }
                case Next.Turn next -> turnOptions = options.followUp(session, next.prompt());
            }
        }
    }

    /** What follows {@code check} on {@code turn}: the end when it passed or no turn is left, otherwise its follow-up. */
    static Next after(GoalCheck check, int turn, int maxTurns) {
        if (check.passed()) return new Next.Stop(ExitCode.FINISHED);
        if (check.ending() == GoalCheck.Ending.NOT_RUN) return new Next.Stop(ExitCode.MODEL_ERROR);
        if (turn >= maxTurns) return new Next.Stop(ExitCode.MODEL_ERROR);
        return new Next.Turn(check.followUp(turn, maxTurns));
    }

    /** The session the loop's first turn made or continued; empty when it stopped before one existed. */
    @Override
    public Optional<Session> started() {
        return started;
    }

    /**
     * Ctrl-C: aborts the turn or the check running now (the server kills the check's command), and no turn follows.
     * Answers whether there was something to abort.
     */
    @Override
    public boolean interrupt() {
        interrupted = true;
        HeadlessRun run = current;
        if (run != null) return run.interrupt();
        Optional<Session> session = started;
        if (session.isEmpty()) return false;
        err.println("lathe: stopping the check (Ctrl-C again to leave at once)");
        err.flush();
        try {
            api.abort(session.get().id());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs the check on the server (its ask answered by the user's naming it, the class comment says) and reads its outcome. */
    private GoalCheck check(SessionId session) throws InterruptedException {
        ShellRequest request = ShellRequest.goalCheck(goal.check()).allowingAll();
        for (int attempt = 1; ; attempt++) {
            try {
                MessageWithParts answer = api.shell(session, request);
                return GoalCheck.of(goal.check(), answer);
            } catch (LatheException.Conflict e) {
                // the session settles after its turn (a command it ran, then the turn it started): wait, then again
                if (attempt >= BUSY_RETRIES || interrupted) throw e;
                Thread.sleep(500);
            }
        }
    }

    /** The one line a refused check ends the loop with, in the user's words. */
    private String refusal(LatheException e) {
        return switch (e.code()) {
            case "permission_denied" -> e.getMessage().replaceFirst("\\.$", "") + "; change the rule in \"permission\" of lathe.json, or give --until a command it allows";
            case "permission_rejected" -> e.getMessage();
            default -> "the check `" + goal.check() + "` could not run: " + e.getMessage();
        };
    }

    /** Why the loop ended without the goal, and how to go on. */
    private String gaveUp(GoalCheck check, SessionId session) {
        String why = check.output().strip().lines().findFirst().orElse("");
        String how = check.ending() == GoalCheck.Ending.NOT_RUN ? "could not run: " + (why.length() > 300 ? why.substring(0, 300) + "..." : why)
                : "still " + (check.ending() == GoalCheck.Ending.TIMED_OUT ? "times out" : "fails") + " after " + goal.maxTurns()
                        + (goal.maxTurns() == 1 ? " turn" : " turns");
        return "lathe: goal not reached: the check `" + check.command() + "` " + how + "; " + goOn(session, check.command());
    }

    /** The command line that goes on with the same session and check, the check quoted for the shell: only MESSAGE is left to write. */
    static String goOn(SessionId session, String command) {
        return "to go on: lathe run --session " + session.value() + " --until '" + command.replace("'", "'\\''") + "' MESSAGE";
    }
}
