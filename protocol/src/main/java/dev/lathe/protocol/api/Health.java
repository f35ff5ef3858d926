package dev.lathe.protocol.api;

/**
 * Body of {@code GET /health}: liveness, version, and which node of which store answers (DESIGN §18 "Team server":
 * {@code {"ok": true, "node": ID, "store": "postgresql"}}), since it needs no token nothing more. {@code healthy} is
 * {@code ok} under its first name, kept for clients that read it.
 *
 * @param node  the server's node id, stable per state folder ({@code ""} from a server that names none)
 * @param store {@code sqlite} (the embedded default) or {@code postgresql} (a team-server node)
 * @param draining whether the node drains (DESIGN §34): it takes no new turns and is about to stop
 */
public record Health(boolean healthy, String version, boolean ok, String node, String store, boolean draining) {
    /** A server that names no node: the embedded default's store. */
    public Health(boolean healthy, String version) {
        this(healthy, version, healthy, "", "sqlite", false);
    }
}
