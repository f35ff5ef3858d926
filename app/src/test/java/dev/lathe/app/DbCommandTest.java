package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.CreateSessionRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe db check|backup|restore} in process on fresh XDG folders, with a database a real core made: the output
 * and exit codes a user and a script see, and a restore refused while a server holds the data folder.
 */
class DbCommandTest {
    @TempDir Path home;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "HOME", home.toString(), "LATHE_DISABLE_MODELS_FETCH", "1", "LATHE_CONFIG_CONTENT", "{\"model\": \"fake/fake-model\", \"provider\": "
                        + "{\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\", \"models\": {\"fake-model\": {}}}}}");
    }

    private record Run(int exit, String out, String err) {}

    private Run db(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(new DbCommand(env())).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkBackupListAndRestoreAsAUserRunsThem() throws Exception {
        Path database = home.resolve("data/lathe/lathe.db");
        assertThat(db("check").exit()).isEqualTo(1);
        try (var core = dev.lathe.server.LatheServer.embedded(env())) {
            core.createSession(CreateSessionRequest.in(home.toString()));
        }

        Run check = db("check");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).contains("database  " + database).containsPattern("schema    \\d+ \\(this Lathe: \\d+\\)")
                .contains("sessions  1").contains("integrity ok");

        Run backup = db("backup");
        assertThat(backup.exit()).as(backup.err()).isZero();
        Path copy = Path.of(backup.out().strip());
        assertThat(copy).exists().hasParent(database.getParent());
        assertThat(db("backup", copy.toString()).err()).contains("exists already");

        Run list = db("restore");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).startsWith(copy + "\tmanual\t").contains("\tschema ");

        // a server on this data folder: the restore changes nothing and says what to do
        byte[] before = Files.readAllBytes(database);
        try (var server = dev.lathe.server.daemon.DataDirLock.acquire(home.resolve("data/lathe"))) {
            Run refused = db("restore", copy.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("another Lathe server is running").contains("lathe stop").contains("nothing was changed");
        }
        assertThat(Files.readAllBytes(database)).isEqualTo(before);

        Run restored = db("restore", copy.toString());
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.err()).startsWith("lathe: restored " + copy).contains("what it held before is kept at ");
        assertThat(db("restore").out().lines()).hasSize(2).anyMatch(l -> l.contains("\tbefore-restore\t"));

        Files.writeString(database, "not a database any more");
        Run damaged = db("check");
        assertThat(damaged.exit()).isEqualTo(1);
        assertThat(damaged.out()).contains("integrity not a SQLite database");
        assertThat(damaged.err()).contains("lathe db restore");
    }
}
