package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each session lives, its folder and its parent (neither changes for the session's life), remembered after the
 * first read of its row. Every tool call of a turn asks for them: its audit entries' file, its hooks' project, an MCP
 * call's parent session. Reading and decoding the session's row each time cost a read step more CPU than the read
 * tool itself (JFR, docs/performance.md, issue 43). Only sessions found are remembered (an unknown one is asked of the
 * store again); a deleted one is forgotten ({@link #forget}).
 */
public final class SessionPlaces {
    /** A session's folder and its parent session, if it is a subagent's. */
    public record Place(String directory, Optional<SessionId> parentId) {
        static Place of(Session s) { return new Place(s.directory(), s.parentId()); }
    }

    private final SessionStore store;
    private final Map<SessionId, Place> known = new ConcurrentHashMap<>();

    public SessionPlaces(SessionStore store) {
        this.store = store;
    }

    /** Where session {@code id} lives; empty when no such session is stored. */
    public Optional<Place> of(SessionId id) {
        Place place = known.get(id);
        if (place != null) return Optional.of(place);
        Optional<Place> found = store.find(id).map(Place::of);
        found.ifPresent(p -> known.put(id, p));
        return found;
    }

    /** The folder of session {@code id} (a wire id), empty for an unknown session: the audit log's lookup. */
    public Optional<String> directoryOf(String id) {
        return of(new SessionId(id)).map(Place::directory);
    }

    /** Session {@code id} was deleted: asked of the store again if it is ever named. */
    public void forget(SessionId id) {
        known.remove(id);
    }
}
