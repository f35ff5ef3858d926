package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.testkit.PostgresCluster;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is PostgreSQL's own: the dialect of the shared migrations, a newer schema refused, failures that name the store. */
class PostgresStorageTest {
    @TempDir Path tmp;

    @Test
    void theDialectWidensIntegersAndComparesTextBytewise() {
        assertThat(PgMigrations.dialect("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, INTEGERS_NOTE TEXTUAL)"))
                .isEqualTo("CREATE TABLE t (id TEXT COLLATE \"C\" PRIMARY KEY, n BIGINT NOT NULL, INTEGERS_NOTE TEXTUAL)");
    }

    @Test
    void theMigrationsMakeTheSameTablesAndColumnsAsOnSqlite() throws Exception {
        var db = PostgresCluster.shared().newDatabase("schema");
        Map<String, List<String>> postgres = new TreeMap<>();
        try (var storage = PostgresStorage.open(db.url()); var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                var rs = c.createStatement().executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns"
                        + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")) {
            assertThat(storage.schemaVersion()).isEqualTo(PgMigrations.latestVersion());
            while (rs.next()) postgres.computeIfAbsent(rs.getString(1), _ -> new ArrayList<>()).add(rs.getString(2) + " " + rs.getString(3));
        }
        Map<String, List<String>> sqlite = new TreeMap<>();
        try (var storage = SqliteStorage.open(tmp.resolve("lathe.db")); var c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("lathe.db"))) {
            assertThat(storage.schemaVersion()).isEqualTo(PgMigrations.latestVersion());
            List<String> tables = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String table : tables) {
                try (var rs = c.createStatement().executeQuery("PRAGMA table_info(" + table + ")")) {
                    while (rs.next()) {
                        String type = switch (rs.getString("type")) {
                            case "INTEGER" -> "bigint";
                            case "TEXT" -> "text";
                            default -> rs.getString("type");
                        };
                        sqlite.computeIfAbsent(table, _ -> new ArrayList<>()).add(rs.getString("name") + " " + type);
                    }
                }
            }
        }
        // the team server's own tables (V008, V011) exist only on PostgreSQL: one process keeps them in memory
        assertThat(postgres.keySet()).containsAll(TEAM_TABLES);
        assertThat(sqlite.keySet()).doesNotContainAnyElementsOf(TEAM_TABLES);
        postgres.keySet().removeAll(TEAM_TABLES);
        assertThat(postgres).isEqualTo(sqlite);
    }

    private static final List<String> TEAM_TABLES = List.of("event", "session_lease", "session_work", "node_ask", "session_run");

    @Test
    void aDatabaseOfANewerSchemaIsRefusedAndLeftAsItWas() throws Exception {
        var db = PostgresCluster.shared().newDatabase("newer");
        PostgresStorage.open(db.url()).close();
        int newer = PgMigrations.latestVersion() + 1;
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "")) {
            c.createStatement().execute("INSERT INTO schema_version VALUES (" + newer + ", 'V" + newer + "__future.sql', 0)");
        }
        assertThatThrownBy(() -> PostgresStorage.open(db.url())).isInstanceOf(StoreException.class)
                .hasMessageContaining("written by a newer Lathe").hasMessageContaining("schema version " + newer)
                .hasMessageContaining("database " + db.name() + " on 127.0.0.1:" + db.port() + " as user lathe");
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                var rs = c.createStatement().executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(newer);
        }
    }

    @Test
    void aWrongPasswordNamesTheStoreButNeverThePassword() {
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("password");
        cluster.createRole("pw_store", "right-horse-battery");
        cluster.psql("ALTER DATABASE " + db.name() + " OWNER TO pw_store");
        PostgresStorage.open(db.url("pw_store", "right-horse-battery")).close();
        assertThatThrownBy(() -> PostgresStorage.open(db.url("pw_store", "Wr0ng-S3cret")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("database " + db.name() + " on 127.0.0.1:" + db.port() + " as user pw_store")
                .hasMessageContaining("password authentication failed")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("Wr0ng-S3cret"));
    }

    @Test
    void anUnreachableServerOrAMissingDatabaseFailsAtOnceNamingIt() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> PostgresStorage.open("postgresql://alice:pa55@127.0.0.1:" + closed + "/teamdb"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("database teamdb on 127.0.0.1:" + closed + " as user alice")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("pa55"));
        var cluster = PostgresCluster.shared();
        assertThatThrownBy(() -> PostgresStorage.open("postgresql://lathe:pa55@127.0.0.1:" + cluster.port() + "/no_such_db"))
                .hasMessageContaining("database no_such_db on 127.0.0.1:" + cluster.port() + " as user lathe")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PostgresStorage.open("postgresql://alice:pa55@127.0.0.1/"))
                .hasMessageContaining("expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("pa55"));
    }

    @Test
    void onlyANodeAloneOnTheDatabaseRepairsWhatACrashLeftOpen() {
        var db = PostgresCluster.shared().newDatabase("presence");
        try (var first = PostgresStorage.open(db.url())) {
            assertThat(first.repaired()).isZero();
            var sid = dev.lathe.protocol.SessionId.next();
            var dir = "/p";
            first.sessions().insert(new dev.lathe.protocol.session.Session(sid, first.projects().idFor(dir), dir, java.util.Optional.empty(), "t",
                    "build", "a/b", 1, 1, java.util.Optional.empty(), dev.lathe.protocol.session.Usage.ZERO, 0, java.util.Optional.empty()));
            var user = new dev.lathe.protocol.session.UserMessage(dev.lathe.protocol.MessageId.next(), sid, 1, "build", "a/b");
            first.messages().insertUser(user, List.of());
            first.messages().upsertAssistant(new dev.lathe.protocol.session.AssistantMessage(dev.lathe.protocol.MessageId.next(), sid, user.id(),
                    "build", "a/b", 2, java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    dev.lathe.protocol.session.Usage.ZERO, 0));
            try (var second = PostgresStorage.open(db.url())) {
                assertThat(second.repaired()).as("the first node may be running that answer").isZero();
                assertThat(second.messages().openAssistantMessages()).hasSize(1);
            }
        }
        try (var alone = PostgresStorage.open(db.url())) {
            assertThat(alone.repaired()).isEqualTo(1);
            assertThat(alone.messages().openAssistantMessages()).isEmpty();
        }
    }

    private static String stackText(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
