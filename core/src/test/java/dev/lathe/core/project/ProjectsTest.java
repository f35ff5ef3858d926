package dev.lathe.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server, many folders: an instance per folder, closed when idle unless a running session needs it. */
class ProjectsTest {
    @TempDir Path tmp;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis = 1_000_000;
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
    }

    @Test
    void oneInstancePerFolderClosedWhenIdleAndReopenedWithFreshConfig() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString());
        var paths = LathePaths.fromEnvironment(env);
        var clock = new ManualClock();
        try (Db db = Db.open(paths.database())) {
            var projects = new Projects(new ConfigLoader(paths, env, tmp.resolve("managed.json")), paths, SqliteStorage.over(db).projects(),
                    Protocols.of(Map.of()), new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(paths.authFile()), env), Projects.Wiring.of(Projects.ConfigEvents.NONE, new dev.lathe.core.config.ServerEnvironment(System.getenv())), clock);
            Project first = projects.get(a.toString());
            assertThat(projects.get(a + "/")).isSameAs(first);
            projects.get(b.toString());
            assertThat(projects.open()).containsExactlyInAnyOrder(a.toRealPath(), b.toRealPath());
            assertThat(first.config().model()).isEmpty();

            clock.millis += Duration.ofMinutes(10).toMillis();
            projects.get(b.toString());
            clock.millis += Duration.ofMinutes(10).toMillis();
            // a was used 20 minutes ago, b 10: only a goes
            assertThat(projects.closeIdle(Duration.ofMinutes(15), dir -> false)).containsExactly(a.toRealPath());
            assertThat(projects.open()).containsExactly(b.toRealPath());

            clock.millis += Duration.ofMinutes(20).toMillis();
            // b has a running session: it stays however long it was not asked for
            Path busy = b.toRealPath();
            assertThat(projects.closeIdle(Duration.ofMinutes(15), busy::equals)).isEmpty();

            Files.writeString(a.resolve("lathe.json"), "{\"model\": \"openai/gpt-5\"}");
            Project reopened = projects.get(a.toString());
            assertThat(reopened).isNotSameAs(first);
            assertThat(reopened.config().model()).hasValue("openai/gpt-5");
            assertThat(reopened.id()).isEqualTo(first.id());
        }
    }
}
