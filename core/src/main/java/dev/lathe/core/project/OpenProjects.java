package dev.lathe.core.project;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project instances open now: {@link Projects} opens and closes them; what only asks about them (the server-wide
 * catalog refresh, which waits while a local-only project is open) reads them here. Built before {@code Projects}, so
 * what {@code Projects} itself is built from (the provider sources and their catalog) can be given this instead of a
 * forward reference to it.
 */
public final class OpenProjects {
    /** Each folder as each client environment sees it, and how it was read: owned by {@link Projects}. */
    final Map<Projects.Key, Projects.Entry> entries = new ConcurrentHashMap<>();

    /**
     * Whether an open project instance is in local-only mode: the server's own connections (the catalog refresh) then
     * wait, since a shared daemon cannot tell whose they are (decision 120).
     */
    public boolean anyLocal() {
        return entries.values().stream().anyMatch(e -> e.project().network().isLocal());
    }
}
