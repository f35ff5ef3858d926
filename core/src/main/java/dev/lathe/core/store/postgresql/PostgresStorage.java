package dev.lathe.core.store.postgresql;

import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.store.Recovery;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.jdbc.JdbcStorage;
import dev.lathe.core.store.jdbc.JdbcTaskStore;
import dev.lathe.core.store.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The storage port on a PostgreSQL database (DESIGN §20): the team server's store. Opened by the composition root only
 * when a store URL is given, so that the embedded default never loads the driver or the pool.
 *
 * <p>At open: the pool connects (a wrong URL, password or an unreachable server fails here, naming database, host,
 * port and user), the numbered migrations run ({@link PgMigrations}), and the node takes its {@link NodePresence}; when
 * no other node is on the database, what a crash left open is repaired ({@link Recovery}), as SQLite's store does
 * when no other process holds its lease. Nodes that share the database while one of them dies are not repaired until
 * all of them restart: then the session leases let a live node take a dead one's turns ({@link PgSessionLeases}).
 *
 * <p>What the nodes share beyond the stored data is this store's {@link #cluster} ({@link PgCluster}): its parts are
 * opened with the store and closed with it.
 */
public final class PostgresStorage extends JdbcStorage {
    /** How long event rows stay for clients resuming on any node (a client away longer refetches). */
    private static final java.time.Duration KEEP_EVENTS = java.time.Duration.ofHours(1);

    private final PgDb db;
    private final NodePresence presence;
    private final int repaired;
    private final PgEventLog events;
    private final PgSessionLeases leases;
    private final PgTeamAsks asks;
    private final PgTeamStatuses statuses;
    private final PgCluster cluster;

    private PostgresStorage(PgDb db, NodePresence presence, int repaired, TeamNode node, java.time.Duration workPoll)
            throws SQLException {
        super(db, SqlDialect.POSTGRESQL);
        this.db = db;
        this.presence = presence;
        this.repaired = repaired;
        this.asks = new PgTeamAsks(db, node.id());
        this.statuses = new PgTeamStatuses(db, node.id());
        // what this node (same id: same folders) left before a restart waits no more and runs no more
        asks.forgetOwn();
        try (Connection c = db.connection()) {
            statuses.keepOnly(c, java.util.List.of(), false);
        }
        this.leases = new PgSessionLeases(db, messages(), statuses, node.id(), node.lease(), node.maxSessions(), workPoll);
        this.events = new PgEventLog(db, KEEP_EVENTS, node.id(), asks, leases);
        this.cluster = new PgCluster(node, events, leases, asks, statuses, new JdbcTaskStore(db));
    }


    /**
     * Opens the store at {@code url} ({@code postgresql://USER:PASSWORD@HOST:PORT/DATABASE}).
     *
     * @throws StoreException when the URL is malformed, the database cannot be reached, refuses the login or was
     *     written by a newer Lathe: the message names the database, host, port and user, never the password; nothing is
     *     left open then
     */
    public static PostgresStorage open(String url) {
        return open(url, TeamNode.random());
    }

    public static PostgresStorage open(String url, TeamNode node) {
        PostgresUrl parsed;
        try {
            parsed = PostgresUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new StoreException(e.getMessage(), null);
        }
        return open(parsed, node);
    }

    public static PostgresStorage open(PostgresUrl url, TeamNode node) {
        return open(url, node, PgDb.Pool.forSessions(node.maxSessions()), PgSessionLeases.POLL);
    }

    /**
     * With a pool of the caller's size (tests run many sessions over a few connections) and the leases' poll for work
     * no notification announced (tests make it long, so that only the notification can wake a node in time).
     */
    static PostgresStorage open(PostgresUrl url, TeamNode node, PgDb.Pool pool, java.time.Duration workPoll) {
        PgDb db = PgDb.open(url, pool);
        NodePresence presence = null;
        try {
            try (Connection c = db.connection()) {
                PgMigrations.apply(c, url);
            }
            presence = NodePresence.join(url, node.id());
            int repaired = presence.aloneAtStart() ? Recovery.repair(JdbcStorage.messageStore(db)) : 0;
            presence.settle();
            return new PostgresStorage(db, presence, repaired, node, workPoll);
        } catch (SQLException | RuntimeException e) {
            if (presence != null) presence.close();
            db.close();
            if (e instanceof StoreException s) throw s;
            throw db.failure("cannot open the store", e);
        }
    }

    /** How many parts and messages {@link #open} repaired (0 when another node was on the database). */
    public int repaired() { return repaired; }

    /** The database, host, port and user: for {@code lathe doctor} and the server log (no password). */
    public PostgresUrl url() { return db.url(); }

    /** What the nodes on this store share: events, leases, asks, statuses, tasks; closed with the store. */
    public Cluster cluster() { return cluster; }

    @Override
    public void close() {
        try {
            leases.close();
            events.close();
            db.close();
        } finally {
            presence.close();
        }
    }

    /** Runs {@code sql} on a pooled connection: for tests of the dialect only. */
    void execute(String sql) {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw db.failure("statement failed", e);
        }
    }
}
