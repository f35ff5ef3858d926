package dev.lathe.run.console;

import dev.lathe.term.VisibleControls;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.term.ChildAsker;
import java.util.Locale;

/** The one-line notices {@code lathe run} writes to stderr about its turn (each {@code lathe: ...}). */
final class RunNotices {
    /** Said when the run's prompt stopped the turn that was running ({@code --deliver interrupt}). */
    static final String INTERRUPTED = "lathe: interrupted the session's running turn (its answer ends there); this prompt runs in its place";
    /** Said when the run's prompt waits behind the session's running turn. */
    static final String WAITS = "lathe: the session is busy: this prompt runs when its running turn ends"
            + " (--deliver steer adds it to that turn, --deliver interrupt stops it)";

    private RunNotices() {}

    /** A retry as it happens, e.g. {@code lathe: retrying in 2 s (attempt 2/6): unreachable: ...}. */
    static String retrying(SessionStatus.Retry retry, long nowMillis) {
        long ms = Math.max(0, retry.nextAt() - nowMillis);
        // quick retries (an unreachable provider) wait a fraction of a second: "0.3 s", not "0 s"; a second's wait already
        // under way when this prints still reads "1 s"
        String seconds = ms < 750 ? String.format(Locale.ROOT, "%.1f", ms / 1000.0) : String.valueOf(Math.round(ms / 1000.0));
        String attempt = retry.maxAttempts() > 0 ? retry.attempt() + "/" + retry.maxAttempts() : String.valueOf(retry.attempt());
        return "lathe: retrying in " + seconds + " s (attempt " + attempt + "): " + retry.message();
    }

    /** What {@code lathe run} says when it rejects {@code request}: what was asked and, for a child's ask, which child asked. */
    static String rejectedMessage(PermissionRequest request) {
        // the patterns are the model's (a command line): one line, controls shown, so it cannot forge a "lathe:" line
        return VisibleControls.line("lathe: permission rejected: " + request.permission() + " " + String.join(" ", request.patterns())
                + request.child().map(c -> ", asked by " + ChildAsker.named(c)).orElse("")
                + " (lathe run answers asks with reject; pass --allow-all to allow, or add a rule to \"permission\" in lathe.json)");
    }

    /**
     * What {@code lathe run} says when {@code request}, a limit's ask, stops the run: the session to continue is the
     * run's own, {@code main}, also when a subagent (a child session) asked.
     */
    static String limitMessage(PermissionRequest request, SessionId main) {
        String limit = request.metadata().getOrDefault(BudgetAsks.LIMIT, String.join(" ", request.patterns()));
        return "lathe: spend limit reached: " + request.metadata().getOrDefault(BudgetAsks.SPENT, request.title()) + " (" + limit + ")."
                + " Raise " + limit + " in lathe.json and continue with lathe run --session " + main.value()
                + ", or continue the session in lathe or the web UI, where the limit's ask can raise it."
                + request.child().map(c -> " It was reached by " + ChildAsker.named(c) + ".").orElse("");
    }
}
