package dev.lathe.core.session.context;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.project.Projects;
import dev.lathe.core.store.SessionPlaces;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import java.util.Map;
import java.util.Optional;

/**
 * The project a session runs with: its folder's configuration under the client environment (keys, inline config) of
 * the client that last prompted it, or of its parent's; as configured now for a new request, the last good one for a
 * running turn.
 */
public final class SessionProjects {
    private final Projects projects;
    private final SessionPlaces places;

    /** Each session's client environment (keys, inline config): memory only, never stored, logged or exported. */
    private final Map<SessionId, ClientEnvironment> environments = new java.util.concurrent.ConcurrentHashMap<>();

    SessionProjects(Projects projects, SessionPlaces places) {
        this.projects = projects;
        this.places = places;
    }

    /**
     * From now on the turns of session {@code id} (and its subagents) use {@code environment}'s config and keys: the
     * environment of the client that sent its latest prompt, command or shell command. In memory only.
     */
    public void use(SessionId id, ClientEnvironment environment) {
        if (environment.equals(ClientEnvironment.NONE)) return;
        environments.put(id, environment);
    }

    /** The client environment session {@code s} runs with: its own, else its parent's, else the server's. */
    private ClientEnvironment environmentOf(Session s) {
        return environmentOf(s.id(), s.parentId());
    }

    private ClientEnvironment environmentOf(SessionId id, Optional<SessionId> parentId) {
        ClientEnvironment own = environments.get(id);
        if (own != null) return own;
        return parentId.map(environments::get).orElse(ClientEnvironment.NONE);
    }

    /** The project of session {@code s} as its configuration is now; 422 while that is invalid. */
    public Project project(Session s) {
        return project(s.directory(), environmentOf(s));
    }

    public Project project(String directory, ClientEnvironment environment) {
        try {
            return projects.get(directory, environment);
        } catch (ConfigException e) {
            throw new LatheException.InvalidConfig(e.getMessage());
        }
    }

    /**
     * The project a turn of session {@code id} runs with now, under the session's client environment (the last good
     * configuration while an edit left it invalid); empty for an unknown session. For the tool hooks' seam.
     */
    public Optional<Project> runningProject(SessionId id) {
        return places.of(id).map(place -> {
            try {
                return projects.current(place.directory(), environmentOf(id, place.parentId()));
            } catch (ConfigException e) {
                throw new LatheException.InvalidConfig(e.getMessage());
            }
        });
    }

    /** The project a running turn of {@code s} uses: as {@link #project(Session)}, the last good one while it is invalid. */
    public Project current(Session s) {
        try {
            return projects.current(s.directory(), environmentOf(s));
        } catch (ConfigException e) {
            throw new LatheException.InvalidConfig(e.getMessage());
        }
    }

    /**
     * The context window of {@code s}'s model when its folder is already open (a board must not open every folder it
     * lists: that would start their MCP and language servers); 0 otherwise.
     */
    public int knownContextLimit(Session s) {
        try {
            if (!projects.open().contains(ProjectRoot.normalise(s.directory()))) return 0;
            return ContextBudget.of(current(s).models().resolve(s.model()).model()).contextLimit();
        } catch (RuntimeException e) {
            return 0;  // an unknown model or a broken config: the board shows the tokens without a limit
        }
    }

    /** Session {@code id} is gone: its environment is forgotten. */
    public void forget(SessionId id) {
        environments.remove(id);
        places.forget(id);
    }
}
