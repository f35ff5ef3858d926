package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir Path tmp;

    @Test
    void migrationsProduceTheCheckedInSchema() throws IOException {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            List<String> schema = db.query("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
                    rs -> rs.getString(1));
            String actual = String.join(";\n", schema) + ";\n";
            if (System.getenv("LATHE_UPDATE_SNAPSHOTS") != null) {
                // regenerate after adding a migration: LATHE_UPDATE_SNAPSHOTS=1 ./mvnw -pl core test
                java.nio.file.Files.writeString(Path.of("src/test/resources/db/schema.sql"), actual);
            }
            String expected;
            try (InputStream in = getClass().getResourceAsStream("/db/schema.sql")) {
                expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(db.query("PRAGMA journal_mode", rs -> rs.getString(1))).containsExactly("wal");
        }
    }

    @Test
    void reopeningAppliesNothingTwiceAndAnOlderBinaryRefusesNewerVersions() {
        Path file = tmp.resolve("lathe.db");
        Db.open(file).close();
        try (Db db = Db.open(file)) {
            assertThat(db.query("SELECT COUNT(*) FROM schema_version", rs -> rs.getInt(1))).containsExactly(Migrations.bundled().size());
            db.update("INSERT INTO schema_version(version, name, applied_at) VALUES (999, 'V999__future.sql', 0)");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 999");
    }


}
