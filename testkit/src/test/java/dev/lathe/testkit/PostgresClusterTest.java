package dev.lathe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
