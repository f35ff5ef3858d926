package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.AccountContract;
import dev.lathe.core.store.ScheduleContract;
import dev.lathe.core.store.SpendContract;
import dev.lathe.core.store.StatsContract;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.StorageContract;
import dev.lathe.core.store.TeamContract;
import dev.lathe.testkit.PostgresCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;

/**
 * The storage contract run against the PostgreSQL adapter, on this JVM's throwaway cluster: each test's folder stands
 * for a database of its own, made the first time that folder is opened, so "opened again with the same folder" reopens
 * the same database.
 */
class PostgresStorageContractTest {
    private static final Map<Path, PostgresCluster.Database> DATABASES = new ConcurrentHashMap<>();

    static Storage postgres(Path dir) {
        var db = DATABASES.computeIfAbsent(dir, d -> PostgresCluster.shared().newDatabase("contract"));
        return PostgresStorage.open(db.url());
    }

    @Nested
    class Stores extends StorageContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }

    @Nested
    class Spend extends SpendContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }

    @Nested
    class Stats extends StatsContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }

    @Nested
    class Accounts extends AccountContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }

    @Nested
    class Schedules extends ScheduleContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }

    @Nested
    class Teams extends TeamContract {
        @Override
        protected Storage open(Path dir) { return postgres(dir); }
    }
}
