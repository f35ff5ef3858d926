package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree around a turn's steps and its records, with real git and SQLite, without a turn (DESIGN §10). */
class StepSnapshotsTest {
    @TempDir Path tmp;
    private Db db;
    private MessageStore messages;
    private Journal journal;
    private Session row;
    private Path project;
    private Snapshots snapshots;
    private final SessionId session = SessionId.next();
    private MessageId answer;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "one\n");
        snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        db = Db.open(tmp.resolve("lathe.db"));
        messages = SqliteStorage.over(db).messages();
        var sessions = SqliteStorage.over(db).sessions();
        journal = new Journal(messages, sessions, EventBus.standard());
        row = new Session(session, SqliteStorage.over(db).projects().idFor(project.toString()), project.toString(), Optional.empty(), "t", "build", "a/b", 1, 1,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
        sessions.insert(row);
        var user = new UserMessage(MessageId.next(), session, 1, "build", "a/b");
        messages.insertUser(user, List.of());
        answer = MessageId.next();
        messages.upsertAssistant(new AssistantMessage(answer, session, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Part.StepFinish finish(StepSnapshots.Taken taken) {
        var finish = new Part.StepFinish(PartId.next(), session, answer, "tool_calls", Usage.ZERO, 0, taken.treeIfKnown());
        journal.of(row).partBehind(finish);
        return finish;
    }

    private List<Part> stored() {
        return messages.parts(answer);
    }

    @Test
    void aStepThatChangedFilesGetsAPatchFromTheTreeBeforeItAndItsFinishTheTreeAfterIt() throws Exception {
        var steps = new StepSnapshots(snapshots, journal.of(row));
        String before = steps.beforeStep().join().orElseThrow();
        Files.writeString(project.resolve("a.txt"), "two\n");
        Files.writeString(project.resolve("b.txt"), "new\n");

        StepSnapshots.Taken taken = steps.stepEnded(true, Optional.empty());
        Part.StepFinish finish = finish(taken);
        steps.record(taken, finish);
        steps.settle();

        String after = taken.after().join().orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(steps.beforeStep().join()).as("the next step starts from the tree after this one").contains(after);
        assertThat(stored()).filteredOn(Part.Patch.class::isInstance)
                .containsExactly(new Part.Patch(taken.patchId(), session, answer, before, List.of("a.txt", "b.txt")));
        assertThat(stored()).filteredOn(Part.StepFinish.class::isInstance).extracting(p -> ((Part.StepFinish) p).snapshot())
                .containsExactly(Optional.of(after));
        assertThat(taken.patchId().value()).as("the patch sorts before the step's finish").isLessThan(finish.id().value());
    }

    @Test
    void aStepThatOnlyLookedRunsNoSnapshotAndWritesNoPatch() throws Exception {
        var steps = new StepSnapshots(snapshots, journal.of(row));
        String tree = steps.beforeStep().join().orElseThrow();

        StepSnapshots.Taken taken = steps.stepEnded(false, Optional.empty());
        assertThat(taken.before()).isEmpty();
        assertThat(taken.treeIfKnown()).as("the tree it started from").contains(tree);
        Part.StepFinish finish = finish(taken);
        steps.record(taken, finish);
        steps.settle();

        assertThat(stored()).filteredOn(Part.Patch.class::isInstance).isEmpty();
        assertThat(steps.beforeStep().join()).contains(tree);
    }

    @Test
    void aStepThatOnlyEditedIsSnapshottedByTheFilesItWrote() throws Exception {
        var steps = new StepSnapshots(snapshots, journal.of(row));
        String before = steps.beforeStep().join().orElseThrow();
        Files.writeString(project.resolve("a.txt"), "edited\n");

        StepSnapshots.Taken taken = steps.stepEnded(true, Optional.of(Set.of(project.resolve("a.txt"))));
        steps.record(taken, finish(taken));
        steps.settle();

        assertThat(taken.after().join()).isEqualTo(new Snapshots(tmp.resolve("full"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes()).track());
        assertThat(stored()).filteredOn(Part.Patch.class::isInstance).extracting(p -> ((Part.Patch) p).files()).containsExactly(List.of("a.txt"));
        assertThat(((Part.Patch) stored().stream().filter(Part.Patch.class::isInstance).findFirst().orElseThrow()).snapshot()).isEqualTo(before);
    }
}
