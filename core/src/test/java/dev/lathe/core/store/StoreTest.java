package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void recoveryFailsOpenToolPartsAndClosesOpenMessages() {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var projects = new ProjectStore(db);
            var sessions = new SessionStore(db);
            var messages = new MessageStore(db);
            var sid = SessionId.next();
            sessions.insert(new Session(sid, projects.idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(),
                    Usage.ZERO, 0, Optional.empty()));
            var user = new UserMessage(MessageId.next(), sid, 1, "build", "a/b");
            messages.insertUser(user, List.of(new Part.Text(PartId.next(), sid, user.id(), "hi", false)));
            var assistant = new AssistantMessage(MessageId.next(), sid, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                    Optional.empty(), Usage.ZERO, 0);
            messages.upsertAssistant(assistant);
            var done = new Part.Tool(PartId.next(), sid, assistant.id(), "c1", "read",
                    new ToolState.Completed(new RawJson("{\"path\":\"a\"}"), "ok", "a", Map.of(), 3, 4));
            var running = new Part.Tool(PartId.next(), sid, assistant.id(), "c2", "bash",
                    new ToolState.Running(new RawJson("{\"command\":\"sleep 9\"}"), "bash", 5, ""));
            messages.upsertPart(done);
            messages.upsertPart(running);

            assertThat(Recovery.repair(messages)).isEqualTo(2);

            var parts = messages.parts(assistant.id());
            assertThat(parts.get(0)).isEqualTo(done);
            assertThat(((Part.Tool) parts.get(1)).state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> {
                assertThat(f.error()).isEqualTo("interrupted");
                assertThat(f.startedAt()).isEqualTo(5);
            });
            var closed = (AssistantMessage) messages.bySession(sid).get(1).info();
            assertThat(closed.error()).contains(MessageError.interrupted());
            assertThat(closed.completedAt()).isPresent();
            assertThat(Recovery.repair(messages)).isZero();
        }
    }

    @Test
    void recoveryCountsWhatTheStepsBeforeACrashCost() {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var projects = new ProjectStore(db);
            var sessions = new SessionStore(db);
            var messages = new MessageStore(db);
            var sid = SessionId.next();
            // an earlier finished answer is in the totals already
            sessions.insert(new Session(sid, projects.idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(),
                    new Usage(100, 10, 0, 0, 0), 500, Optional.empty()));
            var user = new UserMessage(MessageId.next(), sid, 1, "build", "a/b");
            messages.insertUser(user, List.of(new Part.Text(PartId.next(), sid, user.id(), "hi", false)));
            // as Turn writes an answer: the message open with nothing in it, each step's cost in its step-finish
            var open = new AssistantMessage(MessageId.next(), sid, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                    Optional.empty(), Usage.ZERO, 0);
            messages.upsertAssistant(open);
            messages.upsertPart(new Part.StepFinish(PartId.next(), sid, open.id(), "tool-calls", new Usage(1_000, 20, 5, 300, 40), 7_000, Optional.empty()));
            messages.upsertPart(new Part.StepFinish(PartId.next(), sid, open.id(), "error", new Usage(2_000, 0, 0, 0, 0), 3_000, Optional.empty()));
            var spend = SpendStore.over(sessions);
            var nobody = new MessageId("msg_none");
            var before = spend.session(sid, nobody);
            assertThat(before).as("while open, the steps count").isEqualTo(new SpendStore.Spent(500 + 10_000, 110 + 3_060));

            Recovery.repair(messages);

            var closed = (AssistantMessage) messages.bySession(sid).get(1).info();
            assertThat(closed.error()).contains(MessageError.interrupted());
            assertThat(closed.usage()).isEqualTo(new Usage(3_000, 20, 5, 300, 40));
            assertThat(closed.cost()).isEqualTo(10_000);
            var session = sessions.find(sid).orElseThrow();
            assertThat(session.usage()).isEqualTo(new Usage(3_100, 30, 5, 300, 40));
            assertThat(session.cost()).isEqualTo(10_500);
            assertThat(spend.session(sid, nobody)).as("closed, the steps still count, once").isEqualTo(before);
            assertThat(spend.project("/p", nobody)).isEqualTo(before);
            assertThat(spend.since(0, nobody)).as("the day: the closed answer's own totals").isEqualTo(new SpendStore.Spent(10_000, 3_060));
            assertThat(Recovery.repair(messages)).isZero();
            assertThat(sessions.find(sid).orElseThrow().cost()).as("repaired once").isEqualTo(10_500);
        }
    }
}
