package dev.lathe.core.session.history;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.StoredHistory;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.session.runner.SessionTask;
import dev.lathe.core.session.turn.Compactor;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.store.MessageStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /compact}: prunes old tool outputs and summarises all but the last turns, now, on the caller's thread (the
 * session shows busy meanwhile and an abort stops it), after committing a pending revert; the session's runner runs
 * it, so it waits for no turn and no turn starts meanwhile.
 */
public final class ManualCompaction {
    private final Function<SessionId, Session> sessions;
    private final SessionProjects projects;
    private final Runners runners;
    private final Reverts reverts;
    private final TurnServices services;
    private final MessageStore messages;

    public ManualCompaction(Function<SessionId, Session> sessions, SessionProjects projects, Runners runners, Reverts reverts, TurnServices services,
            MessageStore messages) {
        this.sessions = sessions;
        this.projects = projects;
        this.runners = runners;
        this.reverts = reverts;
        this.services = services;
        this.messages = messages;
    }

    /** The compaction's result; 409 while a turn runs, 400 when there is nothing to compact. */
    public CommandResult compact(SessionId id) {
        Session session = sessions.apply(id);
        Project project = projects.project(session);
        ResolvedModel model = PromptIntake.resolve(project, session.model());
        var r = project.config().retry();
        Compactor.Outcome outcome = runners.of(id).run(new SessionTask.Compaction((_, cancel) -> {
            Session current = reverts.commit(sessions.apply(id), project.snapshots());
            var compactor = new Compactor(services, project, current, model, cancel, Duration.ofSeconds(Math.max(1, r.streamIdleTimeoutSeconds())));
            return compactor.compact(Compactor.Cause.MANUAL, StoredHistory.lastPromptTokens(messages.bySession(id)), () -> { });
        })).orElseThrow(() -> new LatheException.Conflict("session " + id + " is busy; abort it or wait until it is idle"));
        return switch (outcome.kind()) {
            case NOTHING -> throw new LatheException.InvalidInput("nothing to compact: the session has no earlier turns to summarise");
            case BLOCKED -> throw new LatheException.Conflict("a PreCompact hook refused the compaction: " + outcome.blockedBy());
            case ABORTED -> throw new LatheException.Conflict("compaction of session " + id + " was aborted");
            default -> new CommandResult("compact", outcome.summary(), Optional.empty());
        };
    }
}
