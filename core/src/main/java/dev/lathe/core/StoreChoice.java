package dev.lathe.core;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.postgresql.PostgresStorage;
import dev.lathe.core.store.postgresql.PostgresUrl;
import dev.lathe.core.store.sqlite.SqliteStorage;
import java.util.Optional;

/**
 * The one place that picks the storage adapter (DESIGN §20): a store URL ({@code lathe serve --store}, {@code LATHE_STORE}
 * or the config's {@code "store"}, resolved by {@code StoreSetting}) names a PostgreSQL store; without one, the SQLite
 * file of the data folder. The PostgreSQL adapter is named only in {@link #postgres}, so its classes, the driver's and the
 * pool's are never loaded on the default path.
 */
final class StoreChoice {
    private static final System.Logger LOG = System.getLogger(StoreChoice.class.getName());

    private StoreChoice() {}

    static Storage sqlite(LathePaths paths) {
        // the lease before the file: a `lathe db restore` holding it replaces the file, which must not be open here
        var sqlite = SqliteStorage.open(paths.database());
        if (sqlite.repaired() > 0) LOG.log(System.Logger.Level.INFO, "repaired {0} parts/messages left open by an earlier crash", sqlite.repaired());
        return sqlite;
    }

    /**
     * The bus of a node: over the nodes' common event log on a team server (events cross nodes), in memory otherwise.
     */
    static EventBus bus(Optional<Storage> shared) {
        return shared.map(s -> EventBus.shared(((PostgresStorage) s).events())).orElseGet(EventBus::standard);
    }

    static Storage postgres(String url, dev.lathe.core.store.TeamNode node) {
        if (!PostgresUrl.isPostgres(url)) {
            throw new StoreException("unsupported store '" + PostgresUrl.redact(url) + "': expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE", null);
        }
        var postgres = PostgresStorage.open(url, node);
        LOG.log(System.Logger.Level.INFO, "store: PostgreSQL {0}, node {1}, lease {2} s", postgres.url().describe(), node.id(), node.lease().toSeconds());
        if (postgres.repaired() > 0) LOG.log(System.Logger.Level.INFO, "repaired {0} parts/messages left open by an earlier crash", postgres.repaired());
        return postgres;
    }
}
