package dev.lathe.core.hooks;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link HookRunLog} of a server: every run becomes a {@link Part.Hook} on the message the session's running turn
 * is writing (its answer; the prompt for a hook that runs before the answer exists; none between turns: a
 * {@code SessionEnd} hook is then only audited and logged) and an entry
 * of the project's audit log; a run that failed, timed out or took {@link #SLOW} or longer is also a warning in the
 * server log. Called from any thread (tool calls and their hooks run in parallel); recording never throws.
 */
public final class HookRunRecorder implements HookRunLog {
    private static final System.Logger LOG = System.getLogger(HookRunRecorder.class.getName());

    /** A run this long is worth a warning even when it succeeded: it held the turn up. */
    public static final Duration SLOW = Duration.ofSeconds(5);

    /** The running turns' messages: adds the part {@code make} builds to session {@code sessionId}'s; false when it has none. */
    @FunctionalInterface
    public interface Turns {
        boolean add(SessionId sessionId, Function<MessageId, Part> make);
    }

    /** The project audit log's entry for one run. */
    @FunctionalInterface
    public interface Audit {
        void hookRan(String sessionId, Optional<String> callId, HookRun run);

        /** As above, in project {@code projectDir}: where the run is audited when the session is not stored (yet). */
        default void hookRan(String sessionId, java.nio.file.Path projectDir, Optional<String> callId, HookRun run) {
            hookRan(sessionId, callId, run);
        }
    }

    private final Turns turns;
    private final Audit audit;

    public HookRunRecorder(Turns turns, Audit audit) {
        this.turns = turns;
        this.audit = audit;
    }

    @Override
    public void record(String sessionId, Optional<String> callId, List<HookRun> runs) {
        record(sessionId, Optional.empty(), callId, runs);
    }

    @Override
    public void record(String sessionId, java.nio.file.Path projectDir, Optional<String> callId, List<HookRun> runs) {
        record(sessionId, Optional.of(projectDir), callId, runs);
    }

    private void record(String sessionId, Optional<java.nio.file.Path> projectDir, Optional<String> callId, List<HookRun> runs) {
        for (HookRun run : runs) {
            if (misbehaved(run) || run.durationMillis() >= SLOW.toMillis()) {
                LOG.log(System.Logger.Level.WARNING, "session " + sessionId + ": " + run.describe()
                        + (run.durationMillis() >= SLOW.toMillis() ? " (slow)" : ""));
            }
            try {
                if (projectDir.isPresent()) audit.hookRan(sessionId, projectDir.get(), callId, run);
                else audit.hookRan(sessionId, callId, run);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot audit a hook run of session " + sessionId, e);
            }
            try {
                turns.add(new SessionId(sessionId), message -> part(new SessionId(sessionId), message, callId, run));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot add a hook run to the turn of session " + sessionId, e);
            }
        }
    }

    /** The part a run is shown as. */
    static Part.Hook part(SessionId session, MessageId message, Optional<String> callId, HookRun run) {
        Hook hook = run.hook();
        String written = hook.matcher().written().strip();
        String shown = message(run);
        if (run.durationMillis() >= SLOW.toMillis() && !misbehaved(run)) {
            shown = shown.isEmpty() ? "slow" : shown + " (slow)";
        }
        return new Part.Hook(PartId.next(), session, message, hook.event().wire(), hook.handler().shown(), hook.source().file(),
                written.isEmpty() ? Optional.empty() : Optional.of(written), callId, run.exitCode(), run.durationMillis(), decision(run), shown);
    }

    /** Short: {@code ok}, what the hook asked for ({@code allow}, {@code context}, ...), {@code blocked}, {@code stopped}, {@code failed}, {@code timed out}. */
    public static String decision(HookRun run) {
        return switch (run.result()) {
            case HookRun.Result.Succeeded s -> s.decision().isEmpty() ? "ok" : s.decision();
            case HookRun.Result.Blocked _ -> "blocked";
            case HookRun.Result.Stopped _ -> "stopped";
            case HookRun.Result.Failed _ -> "failed";
            case HookRun.Result.TimedOut _ -> "timed out";
        };
    }

    /**
     * The reason, error or notice of a run, then what its output said for the user ({@code systemMessage}, which Claude
     * Code shows the user); empty for a plain success.
     */
    public static String message(HookRun run) {
        String said = run.systemMessage().map(String::strip).orElse("");
        String why = reason(run);
        return why.isEmpty() ? said : said.isEmpty() ? why : why + " — " + said;
    }

    private static String reason(HookRun run) {
        return switch (run.result()) {
            case HookRun.Result.Succeeded _ -> "";
            case HookRun.Result.Blocked b -> b.reason();
            case HookRun.Result.Stopped s -> s.reason();
            case HookRun.Result.Failed f -> f.message();
            case HookRun.Result.TimedOut t -> "killed after " + (t.afterMillis() % 1000 == 0 ? t.afterMillis() / 1000 + " s" : t.afterMillis() + " ms");
        };
    }

    private static boolean misbehaved(HookRun run) {
        return run.result() instanceof HookRun.Result.Failed || run.result() instanceof HookRun.Result.TimedOut;
    }
}
