package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.store.sqlite.Backups;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.RestoreStandIn;
import dev.lathe.protocol.api.CreateSessionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A core (what {@code lathe run --standalone} and {@code lathe acp} start in their own process) started while
 * {@code lathe db restore} replaces the database in another: it waits for the restore instead of opening the file
 * being replaced, whose writes would go to an unlinked file, and then works on the restored one.
 */
class StartDuringRestoreTest {
    @TempDir Path tmp;

    @Test
    void aCoreStartedDuringARestoreWaitsForItAndWritesToTheRestoredFile() throws Exception {
        Path root = tmp.toRealPath();
        Path project = Files.createDirectories(root.resolve("project"));
        Map<String, String> env = Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(), "XDG_STATE_HOME", root.resolve("state").toString(),
                "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_NETWORK", "local");
        var paths = LathePaths.fromEnvironment(env);
        // a model for the session to be made with (no request is sent)
        Files.createDirectories(paths.globalConfig().getParent());
        Files.writeString(paths.globalConfig(), "{\"model\": \"local/m\", \"provider\": {\"local\": {\"protocol\": \"openai-chat\","
                + " \"baseUrl\": \"http://127.0.0.1:9/v1\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}");
        Path database = paths.database();
        try (Db db = Db.open(database)) {
            db.update("INSERT INTO project(id, directory, created_at) VALUES ('prj_old', '/old', 1)");
        }
        // what the restore brings back: the old data and one more project
        Path incoming = Backups.backup(database, Optional.of(root.resolve("incoming.db")));
        try (Db db = Db.open(incoming)) {
            db.update("INSERT INTO project(id, directory, created_at) VALUES ('prj_restored', '/restored', 2)");
        }

        Process restore = RestoreStandIn.start(database, incoming);
        CompletableFuture<LatheCore> starting = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                starting.complete(LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json"))));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        });
        Thread.sleep(1500);
        // while the restore holds the lease, the file it replaces is not opened (opening it in WAL mode makes a -wal)
        assertThat(starting).isNotDone();
        assertThat(database.resolveSibling(database.getFileName() + "-wal")).doesNotExist();
        RestoreStandIn.proceed(restore);

        try (LatheCore core = starting.get(20, TimeUnit.SECONDS)) {
            core.api().createSession(CreateSessionRequest.in(project.toString()));
        }
        // the session was written to the restored file, not to the one it replaced
        assertThat(column(database, "SELECT directory FROM project ORDER BY directory")).contains("/old", "/restored");
        assertThat(column(database, "SELECT directory FROM session")).containsExactly(project.toString());
    }

    private static List<String> column(Path file, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
