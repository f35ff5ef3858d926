package dev.lathe.core.session.context;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.SessionPlaces;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.Storage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the hooks need of the sessions' running turns, built by the composition root before {@link dev.lathe.core.session.Sessions} (which
 * takes it): the journal every write of a turn goes through, to add a hook's run to the turn it fired in, and the
 * project each session runs with, whose hooks a tool call fires. Built first so the hooks are made before the sessions
 * that run them, without a forward reference to {@code Sessions}.
 */
public final class RunningTurns {
    private final Journal journal;
    private final SessionProjects projects;
    private final SessionStore store;

    public RunningTurns(Storage storage, Cluster cluster, Projects projects, EventBus bus) {
        this(storage, cluster, new SessionPlaces(storage.sessions()), projects, bus);
    }

    /**
     * @param cluster the nodes serving these sessions, whose statuses the journal announces
     * @param places where the sessions of {@code storage} live, shared with the audit log's lookup
     */
    public RunningTurns(Storage storage, Cluster cluster, SessionPlaces places, Projects projects, EventBus bus) {
        this.store = storage.sessions();
        this.journal = new Journal(storage.messages(), store, bus, cluster.statuses());
        this.projects = new SessionProjects(projects, places);
    }

    public Journal journal() { return journal; }

    public SessionProjects projects() { return projects; }

    /**
     * Adds the part {@code make} builds for the message session {@code id}'s running turn is writing (its answer, or
     * the prompt before the answer exists), stored and announced as the turn's own parts are (a hook's run, DESIGN §14);
     * false, nothing added, when no turn of the session runs (a hook fired between turns). Safe from any thread.
     */
    public boolean addPart(SessionId id, Function<MessageId, Part> make) {
        Optional<MessageId> message = journal.writing(id);
        if (message.isEmpty()) return false;
        Optional<Session> session = store.find(id);
        if (session.isEmpty()) return false;
        journal.of(session.get()).part(make.apply(message.get()));
        return true;
    }

    /**
     * The project a turn of session {@code id} runs with now, under the session's client environment (the last good
     * configuration while an edit left it invalid); empty for an unknown session. For the tool hooks' seam.
     */
    public Optional<Project> project(SessionId id) { return projects.runningProject(id); }
}
