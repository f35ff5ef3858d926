package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.AccountContract;
import dev.lathe.core.store.ScheduleContract;
import dev.lathe.core.store.SpendContract;
import dev.lathe.core.store.StatsContract;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.StorageContract;
import dev.lathe.core.store.TeamContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The storage contract run against the SQLite adapter, opened as the composition root opens it (lease, repair, migrations). */
class SqliteStorageContractTest {
    private static Storage sqlite(Path dir) {
        return SqliteStorage.open(dir.resolve("lathe.db"));
    }

    @Nested
    class Stores extends StorageContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }

    @Nested
    class Spend extends SpendContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }

    @Nested
    class Stats extends StatsContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }

    @Nested
    class Accounts extends AccountContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }

    @Nested
    class Schedules extends ScheduleContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }

    @Nested
    class Teams extends TeamContract {
        @Override
        protected Storage open(Path dir) { return sqlite(dir); }
    }
}
