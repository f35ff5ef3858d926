package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.Rule;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database made by each earlier schema version ({@link EarlierSchemas}: only that version's migrations, rows in its
 * shape) opens with the current Lathe: a backup of it as it was appears beside it first, the schema reaches the newest
 * version, and every session, message and part it held reads back through the current stores.
 */
class EarlierSchemasTest {
    @TempDir Path tmp;

    static Stream<Integer> earlierVersions() {
        // the versions bundled, not every number below the latest: two branches may add migrations with a gap between
        return Migrations.bundled().stream().map(Migrations.Migration::version).filter(v -> v < Migrations.latestVersion());
    }

    @ParameterizedTest(name = "schema version {0}")
    @MethodSource("earlierVersions")
    void aDatabaseOfAnEarlierVersionIsBackedUpMigratedAndHoldsEverySession(int version) throws Exception {
        Path file = tmp.resolve("lathe.db");
        EarlierSchemas.Written written = EarlierSchemas.create(file, version);

        try (Db db = Db.open(file)) {
            assertThat(db.query("SELECT MAX(version) FROM schema_version", rs -> rs.getInt(1))).containsExactly(Migrations.latestVersion());
            readsBack(db, written);
        }

        assertThat(Backups.of(file)).singleElement().satisfies(backup -> {
            assertThat(backup.kind()).isEqualTo(Backups.Kind.UPGRADE);
            assertThat(backup.schemaVersion()).hasValue(version);
            assertThat(IntegrityCheck.problems(backup.file())).isEmpty();
        });
        assertThat(DatabaseCheck.DatabaseHeader.read(file).userVersion()).isEqualTo(Migrations.latestVersion());
        // opened again: nothing left to migrate, so no second backup
        Db.open(file).close();
        assertThat(Backups.of(file)).hasSize(1);
    }

    @Test
    void aDatabaseOfTheCurrentVersionOpensWithoutABackup() throws Exception {
        Path file = tmp.resolve("lathe.db");
        EarlierSchemas.Written written = EarlierSchemas.create(file, Migrations.latestVersion());
        try (Db db = Db.open(file)) {
            readsBack(db, written);
        }
        assertThat(Backups.of(file)).isEmpty();
    }

    private static void readsBack(Db db, EarlierSchemas.Written written) {
        var sessions = SqliteStorage.over(db).sessions();
        var messages = SqliteStorage.over(db).messages();
        for (String id : written.sessions()) {
            assertThat(sessions.find(new SessionId(id))).as(id).isPresent();
        }
        SessionId parent = new SessionId(written.sessions().getFirst());
        assertThat(sessions.tree(parent)).extracting(s -> s.id().value()).containsExactly(written.sessions().get(0), written.sessions().get(1));
        assertThat(sessions.find(parent).orElseThrow().usage().cacheRead()).isEqualTo(1000);

        List<MessageWithParts> all = written.sessions().stream().flatMap(s -> messages.bySession(new SessionId(s)).stream()).toList();
        assertThat(all).extracting(m -> m.info().id().value()).containsExactlyInAnyOrderElementsOf(written.messages());
        List<Part> parts = all.stream().flatMap(m -> m.parts().stream()).toList();
        assertThat(parts).extracting(p -> p.id().value()).containsExactlyInAnyOrderElementsOf(written.parts());
        assertThat(parts).filteredOn(p -> p instanceof Part.Text).extracting(p -> ((Part.Text) p).text())
                .contains("the build fails on Main.java, fix it", "Added the missing semicolon.", "review src/Main.java");

        // the edit's display: given by migration 6 from its metadata, or stored so by version 6
        Map<String, Part.Tool> tools = parts.stream().filter(p -> p instanceof Part.Tool).map(p -> (Part.Tool) p)
                .collect(java.util.stream.Collectors.toMap(t -> t.id().value(), t -> t));
        assertThat(tools.keySet()).containsExactlyInAnyOrderElementsOf(written.toolParts());
        assertThat(tools.get(written.toolParts().get(0)).state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> {
            assertThat(c.output()).isEqualTo("Edited src/Main.java");
            assertThat(c.display()).contains(new ToolDisplay.FileChange(List.of("src/Main.java"), "-a\n+a;\n"));
        });
        assertThat(tools.get(written.toolParts().get(1)).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                f -> assertThat(f.error()).isEqualTo("interrupted"));
        assertThat(messages.lastStepFinish(parent)).hasValueSatisfying(f -> assertThat(f.cost()).isEqualTo(4200));
        assertThat(messages.openToolParts()).isEmpty();

        List<Rule> approvals = SqliteStorage.over(db).approvals().rules(new ProjectId(written.project()));
        if (written.version() >= 2) {
            assertThat(approvals).extracting(Rule::pattern).containsExactly("git status *");
        }
        if (written.todoSession() != null) {
            assertThat(SqliteStorage.over(db).todos().find(new SessionId(written.todoSession()))).extracting(Todo::content)
                    .containsExactly("fix Main.java", "run the tests");
        }
        if (written.copiedMessage() != null) {
            SessionId fork = new SessionId(written.sessions().get(2));
            assertThat(messages.originals(fork)).containsExactly(Map.entry(new MessageId(written.copiedMessage()), new MessageId(written.copiedFrom())));
        }
    }
}
