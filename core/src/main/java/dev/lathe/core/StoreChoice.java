package dev.lathe.core;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.core.notify.NoticedEvents;
import dev.lathe.core.notify.Notifier;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.LocalCluster;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.postgresql.PostgresStorage;
import dev.lathe.core.store.postgresql.PostgresUrl;
import dev.lathe.core.store.sqlite.SqliteStorage;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that picks the adapters of the storage and cluster ports (DESIGN §20): a store URL ({@code lathe serve
 * --store}, {@code LATHE_STORE} or the config's {@code "store"}, resolved by {@code StoreSetting}) names a PostgreSQL
 * store, whose database the nodes share ({@code PgCluster}); without one, the SQLite file of the data folder and a
 * cluster of one process ({@link LocalCluster}). The PostgreSQL adapter is named only in {@link #postgres}, so its
 * classes, the driver's and the pool's are never loaded on the default path; no other class outside the adapters names
 * it (rule test {@code ClusterAdaptersTest}).
 */
final class StoreChoice {
    private static final System.Logger LOG = System.getLogger(StoreChoice.class.getName());

    private StoreChoice() {}

    /**
     * The adapters chosen: the cluster at once (the bus and the brokers are built on it first), the storage when first
     * asked. A team server's store is open already (its event log is the cluster's); SQLite's file opens then, so that a
     * one-shot start does the work that needs no database while the warm-up thread gets its date format ready
     * ({@code Db.warmUp}), instead of waiting for it with nothing to do.
     */
    record Chosen(Cluster cluster, Supplier<Storage> storage) {
        /**
         * The cluster's events (the nodes' common log on a team server, in memory in one process), this node's own appends
         * shown to {@code notifier}: what the bus publishes through.
         */
        SharedEvents events(Notifier notifier) { return new NoticedEvents(cluster.events(), notifier); }
    }

    /** The adapters for {@code store} (a team server's URL; empty: SQLite in {@code paths}), this node being {@code node}. */
    static Chosen choose(Optional<String> store, TeamNode node, LathePaths paths) {
        if (store.isPresent()) {
            PostgresStorage postgres = postgres(store.get(), node);
            return new Chosen(postgres.cluster(), () -> postgres);
        }
        return new Chosen(new LocalCluster(node), () -> sqlite(paths));
    }

    private static Storage sqlite(LathePaths paths) {
        // the lease before the file: a `lathe db restore` holding it replaces the file, which must not be open here
        var sqlite = SqliteStorage.open(paths.database());
        if (sqlite.repaired() > 0) LOG.log(System.Logger.Level.INFO, "repaired {0} parts/messages left open by an earlier crash", sqlite.repaired());
        return sqlite;
    }

    private static PostgresStorage postgres(String url, TeamNode node) {
        if (!PostgresUrl.isPostgres(url)) {
            throw new StoreException("unsupported store '" + PostgresUrl.redact(url) + "': expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE", null);
        }
        var postgres = PostgresStorage.open(url, node);
        LOG.log(System.Logger.Level.INFO, "store: PostgreSQL {0}, node {1}, lease {2} s", postgres.url().describe(), node.id(), node.lease().toSeconds());
        if (postgres.repaired() > 0) LOG.log(System.Logger.Level.INFO, "repaired {0} parts/messages left open by an earlier crash", postgres.repaired());
        return postgres;
    }
}
