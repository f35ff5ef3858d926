package dev.lathe.core.session.history;

import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.session.runner.SessionTask;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.api.Restore;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.api.RewindRequest;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.session.Session;

/**
 * Undo and redo of a session's turns (revert to a message, unrevert, undo the last turn, redo, rewind), files put back
 * from the snapshots ({@link Reverts}, {@link Rewinds}); one concept, called by the API directly (issue 41). Files can only be put back
 * while nothing is changing them: 409 while the session runs.
 */
public final class SessionUndo {
    private final SessionStore store;
    private final Runners runners;
    private final Reverts reverts;
    private final Rewinds rewinds;
    private final SessionProjects projects;

    public SessionUndo(SessionStore store, Runners runners, Reverts reverts, Rewinds rewinds, SessionProjects projects) {
        this.store = store;
        this.runners = runners;
        this.reverts = reverts;
        this.rewinds = rewinds;
        this.projects = projects;
    }

    public RevertResult revert(SessionId id, MessageId from) {
        Session session = idle(id);
        return reverts.revert(session, projects.current(session).snapshots(), from);
    }

    public RevertResult unrevert(SessionId id) {
        Session session = idle(id);
        return reverts.unrevert(session, projects.current(session).snapshots());
    }

    public RevertResult undo(SessionId id) {
        Session session = idle(id);
        return reverts.undo(session, projects.current(session).snapshots());
    }

    public RevertResult redo(SessionId id) { return unrevert(id); }

    /** Back to just before a user message: its files, its conversation or both (DESIGN §18 "Rewind", {@link Rewinds}). */
    public RewindResult rewind(SessionId id, RewindRequest request) {
        RequestShape.check(request);
        Session session = idle(id);
        var project = projects.current(session);
        if (request.restore() != Restore.summarise) return rewinds.rewind(session, project.snapshots(), request);
        rewinds.summarisable(session, request.messageId());
        // the summary is a model request: the session shows busy meanwhile, an abort stops it, a prompt waits for it;
        // like a new prompt, it ends what an undo hid (those turns are deleted, the files stay)
        return runners.of(id).run(new SessionTask.Rewind((_, cancel) -> {
            Session current = reverts.commit(store.find(id).orElseThrow(), project.snapshots());
            return rewinds.summarise(current, project, cancel, request.messageId());
        })).orElseThrow(() -> new LatheException.Conflict("session " + id + " is busy; abort it or wait until it is idle"));
    }

    private Session idle(SessionId id) {
        Session session = store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
        if (runners.isRunning(id)) throw new LatheException.Conflict("session " + id + " is busy; abort it or wait until it is idle");
        return session;
    }
}
