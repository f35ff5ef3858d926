package dev.lathe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClusterTest {
    @Test
    void oneClusterPerJvmServesFreshDatabasesOnLoopback() {
        var cluster = PostgresCluster.shared();
        assertThat(PostgresCluster.shared()).isSameAs(cluster);
        var a = cluster.newDatabase("one");
        var b = cluster.newDatabase("one");
        assertThat(a.name()).isNotEqualTo(b.name());
        assertThat(a.url()).isEqualTo("postgresql://lathe@127.0.0.1:" + cluster.port() + "/" + a.name());
        assertThat(cluster.psql("SELECT datname FROM pg_database WHERE datname IN ('" + a.name() + "', '" + b.name() + "') ORDER BY 1").lines().toList())
                .isEqualTo(List.of(a.name(), b.name()));
        assertThat(cluster.psql("SHOW fsync").strip()).isEqualTo("off");
        assertThat(cluster.psql("SHOW listen_addresses").strip()).isEqualTo("127.0.0.1");
    }

    @Test
    void aPasswordedRoleMustGiveItsPasswordOverTcp() throws Exception {
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("pw");
        cluster.createRole("pw_user", "s3cret");
        assertThat(tcpLogin(cluster, db, "pw_user", "s3cret")).isZero();
        assertThat(tcpLogin(cluster, db, "pw_user", "wrong")).isNotZero();
    }

    private static int tcpLogin(PostgresCluster cluster, PostgresCluster.Database db, String user, String password) throws Exception {
        var pb = new ProcessBuilder(cluster.binary("psql").toString(), "-X", "-At", "-h", "127.0.0.1",
                "-p", String.valueOf(cluster.port()), "-U", user, "-d", db.name(), "-c", "SELECT 1").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aStoppedClustersFolderIsOutOfTheWayAtOnceAndGoneSoonAfter(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp, "lathe-pg-1", Instant.now());
        PostgresCluster.removeDetached(dir);
        assertThat(dir).doesNotExist();
        awaitGone(tmp.resolve("lathe-pg-gone-1"));
    }

    @Test
    void foldersAKilledRemovalLeftAreReapedButNotOnesBeingMadeOrOwnedByALiveJvm(@TempDir Path tmp) throws Exception {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        // surefire killed the JVM mid-delete: owner.pid went first, the databases are still there
        Path halfDeleted = folder(tmp, "lathe-pg-1", hourAgo);
        Path renamed = folder(tmp, "lathe-pg-gone-2", hourAgo);
        Path beingMade = folder(tmp, "lathe-pg-3", Instant.now());
        Path live = folder(tmp, "lathe-pg-4", Instant.now());
        Files.writeString(live.resolve("owner.pid"), String.valueOf(ProcessHandle.current().pid()));
        Files.setLastModifiedTime(live, FileTime.from(hourAgo));

        PostgresCluster.reapOrphans(tmp, tmp.resolve("no-binaries"));

        awaitGone(halfDeleted);
        awaitGone(renamed);
        awaitGone(tmp.resolve("lathe-pg-gone-1"));
        assertThat(beingMade).isDirectory();
        assertThat(live.resolve("owner.pid")).isRegularFile();
    }

    /** A cluster-like folder: a few databases of files, the folder last changed at {@code changed}. */
    private static Path folder(Path tmp, String name, Instant changed) throws Exception {
        Path dir = tmp.resolve(name);
        for (int db = 0; db < 3; db++) {
            Path base = Files.createDirectories(dir.resolve("data/base/" + (16384 + db)));
            for (int f = 0; f < 20; f++) Files.writeString(base.resolve(String.valueOf(f)), "page");
        }
        Files.setLastModifiedTime(dir, FileTime.from(changed));
        return dir;
    }

    private static void awaitGone(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Files.exists(dir) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(dir).as("removed").doesNotExist();
    }
}
