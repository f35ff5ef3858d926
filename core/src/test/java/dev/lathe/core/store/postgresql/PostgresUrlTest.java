package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {
    @Test
    void theFormsOfAStoreUrl() {
        assertThat(PostgresUrl.parse("postgresql://alice:s%40cret@db.example:6543/team?sslmode=require"))
                .isEqualTo(new PostgresUrl("db.example", 6543, "team", "alice", Optional.of("s@cret"), "sslmode=require"));
        assertThat(PostgresUrl.parse("postgres://bob@localhost/lathe")).isEqualTo(new PostgresUrl("localhost", 5432, "lathe", "bob", Optional.empty(), ""));
        assertThat(PostgresUrl.parse("postgresql://a:b@h:1/d").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/d");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        var url = PostgresUrl.parse("postgresql://alice:hunter2@db:5432/team");
        assertThat(url.toString()).isEqualTo("postgresql://alice:***@db:5432/team").doesNotContain("hunter2");
        assertThat(url.describe()).isEqualTo("database team on db:5432 as user alice");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://alice:hunter2@db:5432"))
                .hasMessageContaining("postgresql://alice:***@db:5432").hasMessageNotContaining("hunter2");
        assertThat(PostgresUrl.isPostgres("postgresql://x")).isTrue();
        assertThat(PostgresUrl.isPostgres("/var/lib/lathe.db")).isFalse();
    }
}
