package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.PostgresCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe db} and {@code lathe doctor} with a team-server store (DESIGN §20): {@code check} reads the schema and
 * sessions without changing anything, {@code backup} and {@code restore} say how PostgreSQL's own tools do it and make
 * no copy, {@code doctor} adds a store line; an unreachable store is named without its password.
 */
class DbStoreCommandTest {
    @TempDir Path home;

    private Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("HOME", home.toString());
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        return env;
    }

    private record Run(int exit, String out, String err) {}

    private Run run(Object command, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkBackupAndRestoreSayWhatTheyDoWithPostgres() {
        var db = PostgresCluster.shared().newDatabase("db_command");
        var fresh = run(new DbCommand(env()), "check", "--store", db.url());
        assertThat(fresh.exit()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("store     PostgreSQL database " + db.name() + " on 127.0.0.1:" + db.port() + " as user lathe")
                .contains("schema    0").contains("no node has set the store up yet");
        assertThat(PostgresCluster.shared().psql("SELECT to_regclass('public.session') IS NULL").strip()).as("check changed nothing").isEqualTo("t");

        var env = env();
        env.put("LATHE_STORE", db.url());
        // a node sets the store up
        dev.lathe.core.store.postgresql.PostgresStorage.open(db.url()).close();
        var set = run(new DbCommand(env), "check");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).containsPattern("schema    [1-9][0-9]* \\(this Lathe: [1-9]").contains("sessions  0");

        var backup = run(new DbCommand(env), "backup");
        assertThat(backup.exit()).isEqualTo(DbCommand.FAILED);
        assertThat(backup.out()).isEmpty();
        assertThat(backup.err()).contains("Lathe makes no copy of it").contains("pg_dump --format=custom --host=127.0.0.1 --port=" + db.port()
                + " --username=lathe --dbname=" + db.name());
        var restore = run(new DbCommand(env), "restore");
        assertThat(restore.exit()).isEqualTo(DbCommand.FAILED);
        assertThat(restore.err()).contains("pg_restore");

        var doctor = run(new DoctorCommand(env), "--format", "json");
        assertThat(doctor.out()).contains("\"check\":\"store\",\"status\":\"ok\"").contains("database " + db.name());
    }

    @Test
    void anUnreachableStoreIsNamedWithoutItsPassword() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String url = "postgresql://alice:Sw0rdfish-77@127.0.0.1:" + closed + "/team";
        var check = run(new DbCommand(env()), "check", "--store", url);
        assertThat(check.exit()).isEqualTo(DbCommand.FAILED);
        assertThat(check.err()).contains("database team on 127.0.0.1:" + closed + " as user alice");
        var doctor = run(new DoctorCommand(env()), "--store", url, "--format", "json");
        assertThat(doctor.exit()).isNotZero();
        assertThat(doctor.out()).contains("\"check\":\"store\",\"status\":\"fail\"").contains("as user alice");
        assertThat(check.out() + check.err() + doctor.out() + doctor.err()).doesNotContain("Sw0rdfish-77");
    }

    private static final String NODE = "node_0123456789ab";

    /** One statement on the test's database as the cluster's superuser. */
    private static void sql(PostgresCluster.Database db, String statement) throws Exception {
        var props = new java.util.Properties();
        props.setProperty("user", PostgresCluster.SUPERUSER);
        try (var c = new org.postgresql.Driver().connect(db.jdbcUrl(), props); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** This machine's folders as a node's: the node id kept in the state folder, the store named. */
    private Map<String, String> nodeEnv(String url) throws Exception {
        var env = env();
        env.put("LATHE_STORE", url);
        java.nio.file.Files.createDirectories(home.resolve("state/lathe"));
        java.nio.file.Files.writeString(home.resolve("state/lathe/node-id"), NODE + "\n");
        return env;
    }

    @Test
    void doctorSaysARunningNodeIsConnectedHoldsNoLeaseAndHasNoEventLag() throws Exception {
        var db = PostgresCluster.shared().newDatabase("doctor_node");
        var env = nodeEnv(db.url());
        var delivered = new java.util.concurrent.CopyOnWriteArrayList<dev.lathe.protocol.event.EventEnvelope>();
        try (var node = dev.lathe.core.store.postgresql.PostgresStorage.open(db.url(),
                new dev.lathe.core.cluster.TeamNode(NODE, java.time.Duration.ofSeconds(15)))) {
            node.cluster().events().start(delivered::add);
            for (int i = 0; i < 3; i++) {
                node.cluster().events().append(java.util.Optional.of("/p"), new dev.lathe.protocol.event.Event.SessionStatusChanged(
                        new dev.lathe.protocol.SessionId("ses_doctor_" + i), new dev.lathe.protocol.session.SessionStatus.Idle()));
            }
            // the listener names its position after it delivered; the doctor reads it from the database
            Run doctor = null;
            for (long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
                doctor = run(new DoctorCommand(env), "--format", "json");
                if (delivered.size() == 3 && doctor.out().contains("no lag")) break;
            }
            assertThat(delivered).hasSize(3);
            assertThat(doctor.out()).contains("\"check\":\"store\",\"status\":\"ok\"")
                    .contains("\"check\":\"node\",\"status\":\"ok\",\"detail\":\"" + NODE + " is connected and holds no session leases")
                    .contains("\"check\":\"events\",\"status\":\"ok\",\"detail\":\"" + NODE + " has delivered every event (up to #"
                            + delivered.getLast().seq() + "): no lag");
        }
        // the node stopped: nothing of it is connected (once the server has ended its connections), and the doctor says so
        Run stopped = null;
        for (long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
            stopped = run(new DoctorCommand(env), "--format", "json");
            if (stopped.out().contains("is not running")) break;
        }
        assertThat(stopped.out()).contains("\"check\":\"node\",\"status\":\"ok\",\"detail\":\"" + NODE + " is not connected to the store (not running)")
                .contains("\"check\":\"events\",\"status\":\"ok\",\"detail\":\"" + NODE + " is not running");
    }

    @Test
    void doctorWarnsOfAStuckListenerAndLeasesThatRanOutWhileConnected() throws Exception {
        var db = PostgresCluster.shared().newDatabase("doctor_stuck");
        dev.lathe.core.store.postgresql.PostgresStorage.open(db.url()).close();  // the tables
        var env = nodeEnv(db.url());
        // a node as the database shows it: present, its listener stopped at event 1, a lease it did not renew
        var props = new java.util.Properties();
        props.setProperty("user", db.user());
        props.setProperty("ApplicationName", "lathe-node " + NODE);
        try (var presence = new org.postgresql.Driver().connect(db.jdbcUrl(), props)) {
            props.setProperty("ApplicationName", "lathe-listen " + NODE + " 1");
            try (var listener = new org.postgresql.Driver().connect(db.jdbcUrl(), props)) {
                sql(db, "INSERT INTO event(at, data) SELECT (EXTRACT(EPOCH FROM now()) * 1000)::bigint - 20000, '{}' FROM generate_series(1, 4)");
                sql(db, "INSERT INTO session_lease VALUES ('ses_gone', '" + NODE + "', now() - interval '40 seconds', now() - interval '25 seconds')");
                var doctor = run(new DoctorCommand(env));
                assertThat(doctor.out()).containsPattern("warn +events +" + NODE + " is 3 events behind \\(delivered up to #1; the oldest waiting [1-9][0-9]{4,} ms\\)")
                        .containsPattern("warn +node +" + NODE + " is connected and holds 1 session leases, 1 of them ran out without renewal");
                var check = run(new DbCommand(env), "check");
                assertThat(check.exit()).isZero();
                assertThat(check.out()).contains("integrity ok").contains("note      1 lease rows name deleted sessions");
            }
        }
    }

    @Test
    void dbCheckFailsOnAnInvalidIndexAndAGapInTheMigrations() throws Exception {
        var db = PostgresCluster.shared().newDatabase("check_broken");
        dev.lathe.core.store.postgresql.PostgresStorage.open(db.url()).close();
        var env = env();
        env.put("LATHE_STORE", db.url());
        assertThat(run(new DbCommand(env), "check").out()).contains("integrity ok");
        // what an interrupted CREATE INDEX CONCURRENTLY leaves, and a migration row lost
        sql(db, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'part_session'::regclass");
        sql(db, "DELETE FROM schema_version WHERE version = 3");
        var check = run(new DbCommand(env), "check");
        assertThat(check.exit()).isEqualTo(DbCommand.FAILED);
        assertThat(check.out()).contains("integrity migrations missing from schema_version: 3")
                .contains("integrity index part_session is invalid (an interrupted build): REINDEX INDEX part_session");
        assertThat(check.err()).contains("needs repair");
        assertThat(run(new DoctorCommand(env), "--format", "json").out()).contains("\"check\":\"store\",\"status\":\"fail\"");
    }
}
