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
}
