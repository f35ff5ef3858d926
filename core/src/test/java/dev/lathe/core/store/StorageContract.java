package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The contract every adapter of the storage port passes (SQLite's, and PostgreSQL's to come, DESIGN §20): what each
 * store method does, seen only through the port. The sums of {@link SpendStore} and {@link StatsStore} have their own
 * parts ({@link SpendContract}, {@link StatsContract}).
 */
public abstract class StorageContract extends StorageFixture {
    private static final String DIR = "/work/p";

    private static Session newSession(Storage storage, String dir, Optional<SessionId> parent, long createdAt, long updatedAt) {
        return new Session(SessionId.next(), storage.projects().idFor(dir), dir, parent, "t", "build", "a/b", createdAt, updatedAt,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
    }

    private static Session stored(Storage storage, String dir, Optional<SessionId> parent, long createdAt, long updatedAt) {
        Session s = newSession(storage, dir, parent, createdAt, updatedAt);
        storage.sessions().insert(s);
        return s;
    }

    private static UserMessage user(Session s) {
        return new UserMessage(MessageId.next(), s.id(), 1, "build", "a/b");
    }

    private static AssistantMessage openAnswer(Session s, MessageId parent) {
        return new AssistantMessage(MessageId.next(), s.id(), parent, "build", "a/b", 2, Optional.empty(), Optional.empty(), Optional.empty(),
                Usage.ZERO, 0);
    }

    private static Part.Text text(Message m, String text) {
        return new Part.Text(PartId.next(), m.sessionId(), m.id(), text, false);
    }

    private static List<MessageId> ids(List<MessageWithParts> messages) {
        return messages.stream().map(m -> m.info().id()).toList();
    }

    // ---- projects

    @Test
    void aProjectIdIsMadeOnceForAFolderAndKnownAfter() {
        try (Storage storage = open(tmp)) {
            assertThat(storage.projects().isKnown(DIR)).isFalse();
            ProjectId id = storage.projects().idFor(DIR);
            assertThat(storage.projects().idFor(DIR)).isEqualTo(id);
            assertThat(storage.projects().isKnown(DIR)).isTrue();
            assertThat(storage.projects().idFor("/work/other")).isNotEqualTo(id);
        }
    }

    @Test
    void callersRacingForOneFolderGetOneProjectId() throws Exception {
        try (Storage storage = open(tmp)) {
            var start = new CountDownLatch(1);
            List<CompletableFuture<ProjectId>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racing.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return storage.projects().idFor("/work/raced");
                }));
            }
            start.countDown();
            assertThat(racing.stream().map(CompletableFuture::join).distinct()).hasSize(1);
        }
    }

    // ---- sessions

    @Test
    void aSessionIsFoundUpdatedAndKeptAcrossAReopen() {
        Session s;
        try (Storage storage = open(tmp)) {
            s = stored(storage, DIR, Optional.empty(), 10, 10);
            assertThat(storage.sessions().find(s.id())).contains(s);
            assertThat(storage.sessions().exists(s.id())).isTrue();
            Session renamed = s.withTitle("renamed", 20);
            storage.sessions().update(renamed);
            s = renamed;
            assertThat(storage.sessions().find(s.id())).contains(renamed);
        }
        try (Storage storage = open(tmp)) {
            assertThat(storage.sessions().find(s.id())).as("committed before close").contains(s);
        }
    }

    @Test
    void anUnknownSessionIsNotFoundAndAnUpdateOfOneStoresNothing() {
        try (Storage storage = open(tmp)) {
            var ghost = newSession(storage, DIR, Optional.empty(), 1, 1);
            assertThat(storage.sessions().find(ghost.id())).isEmpty();
            assertThat(storage.sessions().exists(ghost.id())).isFalse();
            storage.sessions().update(ghost);
            assertThat(storage.sessions().find(ghost.id())).isEmpty();
            assertThat(storage.sessions().children(ghost.id())).isEmpty();
            assertThat(storage.sessions().tree(ghost.id())).isEmpty();
        }
    }

    @Test
    void aSessionIdIsStoredOnce() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            assertThatThrownBy(() -> storage.sessions().insert(s.withTitle("again", 2))).isInstanceOf(StoreException.class);
            assertThat(storage.sessions().find(s.id()).orElseThrow().title()).isEqualTo("t");
        }
    }

    @Test
    void childrenAreOldestFirstAndATreeListsParentsBeforeChildren() {
        try (Storage storage = open(tmp)) {
            Session root = stored(storage, DIR, Optional.empty(), 1, 1);
            Session second = stored(storage, DIR, Optional.of(root.id()), 30, 30);
            Session first = stored(storage, DIR, Optional.of(root.id()), 20, 20);
            Session grandchild = stored(storage, DIR, Optional.of(first.id()), 25, 25);
            stored(storage, DIR, Optional.empty(), 2, 2);

            assertThat(storage.sessions().children(root.id())).extracting(Session::id).containsExactly(first.id(), second.id());
            assertThat(storage.sessions().tree(root.id())).extracting(Session::id).containsExactly(root.id(), first.id(), second.id(), grandchild.id());
            assertThat(storage.sessions().tree(first.id())).extracting(Session::id).containsExactly(first.id(), grandchild.id());
        }
    }

    @Test
    void deletingSessionsTakesTheirMessagesPartsAndTodosAndSkipsUnknownIds() {
        try (Storage storage = open(tmp)) {
            Session root = stored(storage, DIR, Optional.empty(), 1, 1);
            Session child = stored(storage, DIR, Optional.of(root.id()), 2, 2);
            Session kept = stored(storage, DIR, Optional.empty(), 3, 3);
            for (Session s : List.of(root, child, kept)) {
                var u = user(s);
                storage.messages().insertUser(u, List.of(text(u, "hi")));
                storage.todos().replace(s.id(), List.of(new Todo("x", Todo.Status.PENDING, Todo.Priority.HIGH)));
            }
            storage.sessions().delete(List.of());
            storage.sessions().delete(List.of(root.id(), child.id(), SessionId.next()));

            for (Session gone : List.of(root, child)) {
                assertThat(storage.sessions().find(gone.id())).isEmpty();
                assertThat(storage.messages().bySession(gone.id())).isEmpty();
                assertThat(storage.messages().hasMessages(gone.id())).isFalse();
                assertThat(storage.todos().find(gone.id())).isEmpty();
            }
            assertThat(storage.sessions().find(kept.id())).isPresent();
            assertThat(storage.messages().bySession(kept.id())).hasSize(1);
            assertThat(storage.todos().find(kept.id())).hasSize(1);
        }
    }

    @Test
    void recentLeavesArchivedOutAndListsTheMostRecentlyUpdatedFirstUpToTheLimit() {
        try (Storage storage = open(tmp)) {
            Session old = stored(storage, DIR, Optional.empty(), 1, 10);
            Session newer = stored(storage, "/work/q", Optional.empty(), 2, 30);
            Session newest = stored(storage, DIR, Optional.empty(), 3, 40);
            Session archived = stored(storage, DIR, Optional.empty(), 4, 50);
            storage.sessions().update(archived.archived(50));

            assertThat(storage.sessions().recent(10)).extracting(Session::id).containsExactly(newest.id(), newer.id(), old.id());
            assertThat(storage.sessions().recent(2)).extracting(Session::id).containsExactly(newest.id(), newer.id());
        }
    }

    @Test
    void foldersCountTopLevelSessionsAndAreMostRecentlyActiveFirst() {
        try (Storage storage = open(tmp)) {
            Session a = stored(storage, DIR, Optional.empty(), 1, 10);
            stored(storage, DIR, Optional.of(a.id()), 2, 60);
            stored(storage, DIR, Optional.empty(), 3, 20);
            stored(storage, "/work/q", Optional.empty(), 4, 40);

            assertThat(storage.sessions().folders()).containsExactly(new SessionStore.Folder(DIR, 2, 60), new SessionStore.Folder("/work/q", 1, 40));
            assertThat(storage.sessions().hasSessions(DIR)).isTrue();
            assertThat(storage.sessions().hasSessions("/work/none")).isFalse();
        }
    }

    @Test
    void aFoldersSessionsAndItsNewestTopLevelOne() {
        try (Storage storage = open(tmp)) {
            assertThat(storage.sessions().newestIn(DIR)).isEmpty();
            Session older = stored(storage, DIR, Optional.empty(), 1, 10);
            Session newer = stored(storage, DIR, Optional.empty(), 2, 20);
            Session child = stored(storage, DIR, Optional.of(older.id()), 3, 30);
            stored(storage, "/work/q", Optional.empty(), 4, 40);

            assertThat(storage.sessions().byDirectory(DIR)).extracting(Session::id).containsExactly(child.id(), newer.id(), older.id());
            assertThat(storage.sessions().newestIn(DIR)).as("top-level only").contains(newer.id());
        }
    }

    @Test
    void aRepositorysSessionsIncludeThoseOfItsWorktrees() {
        try (Storage storage = open(tmp)) {
            Session main = stored(storage, DIR, Optional.empty(), 1, 10);
            Session inTree = newSession(storage, DIR + "-feature", Optional.empty(), 2, 20)
                    .inWorktree(Optional.of(new SessionWorktree("feature", "lathe/feature", DIR)));
            storage.sessions().insert(inTree);
            stored(storage, "/work/q", Optional.empty(), 3, 30);

            assertThat(storage.sessions().find(inTree.id())).contains(inTree);
            assertThat(storage.sessions().byRepository(DIR)).extracting(Session::id).containsExactly(inTree.id(), main.id());
            assertThat(storage.sessions().byDirectory(DIR)).extracting(Session::id).containsExactly(main.id());
        }
    }

    @Test
    void aSessionThatMovesToAnotherFolderIsListedByItsNewFolderAndRepository() {
        try (Storage storage = open(tmp)) {
            // a fleet task continued on another node moves to that node's copy of the repository (issue 45)
            Session first = newSession(storage, "/node-a/tasks/app/.lathe/worktrees/t1", Optional.empty(), 1, 10)
                    .inWorktree(Optional.of(new SessionWorktree("t1", "lathe/t1", "/node-a/tasks/app")));
            storage.sessions().insert(first);
            String here = "/node-b/tasks/app/.lathe/worktrees/t1";
            Session moved = new Session(first.id(), storage.projects().idFor(here), here, Optional.empty(), "t", "build", "a/b", 1, 20, Optional.empty(),
                    Usage.ZERO, 0, Optional.empty(), Optional.of(new SessionWorktree("t1", "lathe/t1", "/node-b/tasks/app")));
            storage.sessions().update(moved);

            assertThat(storage.sessions().find(first.id())).contains(moved);
            assertThat(storage.sessions().byDirectory(here)).extracting(Session::id).containsExactly(first.id());
            assertThat(storage.sessions().byDirectory(first.directory())).isEmpty();
            assertThat(storage.sessions().byRepository("/node-b/tasks/app")).extracting(Session::id).containsExactly(first.id());
            assertThat(storage.sessions().byRepository("/node-a/tasks/app")).isEmpty();
            assertThat(storage.sessions().folders()).extracting(SessionStore.Folder::directory).containsExactly(here);
        }
    }

    // ---- messages and parts

    @Test
    void messagesComeBackInIdOrderWithTheirPartsInIdOrder() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(s);
            var first = text(u, "one");
            var second = text(u, "two");
            storage.messages().insertUser(u, List.of(second, first));
            var answer = openAnswer(s, u.id());
            storage.messages().upsertAssistant(answer);
            var reply = text(answer, "hello");
            storage.messages().upsertPart(reply);

            var all = storage.messages().bySession(s.id());
            assertThat(ids(all)).containsExactly(u.id(), answer.id());
            assertThat(all.get(0).parts()).containsExactly(first, second);
            assertThat(all.get(1).parts()).containsExactly(reply);
            assertThat(storage.messages().parts(u.id())).containsExactly(first, second);
            assertThat(storage.messages().contains(s.id(), u.id())).isTrue();
            assertThat(storage.messages().contains(SessionId.next(), u.id())).isFalse();
            assertThat(storage.messages().hasMessages(s.id())).isTrue();
            assertThat(storage.messages().lastAnswer(s.id())).contains(answer);
        }
    }

    @Test
    void theNarrowReadsAreTheWholeReadFiltered() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            Session other = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(s);
            storage.messages().insertUser(u, List.of(text(u, "ask"), new Part.Compaction(PartId.next(), s.id(), u.id(), true, Optional.empty())));
            storage.messages().insertUser(user(other), List.of());
            var answer = openAnswer(s, u.id());
            storage.messages().upsertAssistant(answer);
            var tool = new Part.Tool(PartId.next(), s.id(), answer.id(), "c", "read", new ToolState.Pending(new RawJson("{}")));
            List<Part> parts = List.of(new Part.StepStart(PartId.next(), s.id(), answer.id(), Optional.empty(), Map.of("system", "ab")),
                    text(answer, "reading"), tool,
                    new Part.ModelSwitch(PartId.next(), s.id(), answer.id(), "a/b", "c/d", "quota"),
                    new Part.StepFinish(PartId.next(), s.id(), answer.id(), "tool_calls", new Usage(1, 2, 0, 3, 4), 5, Optional.empty()),
                    new Part.Retry(PartId.next(), s.id(), answer.id(), 1, "overloaded", 9));
            for (Part p : parts) storage.messages().upsertPart(p);
            var later = user(s);
            storage.messages().insertUser(later, List.of(text(later, "meanwhile")));

            var all = storage.messages().bySession(s.id());
            assertThat(all).hasSize(3);
            assertThat(storage.messages().withPromptParts(s.id())).containsExactlyElementsOf(all.stream()
                    .map(m -> m.info() instanceof UserMessage ? m : new MessageWithParts(m.info(), List.of())).toList());
            assertThat(storage.messages().withStepParts(s.id())).containsExactlyElementsOf(all.stream()
                    .map(m -> new MessageWithParts(m.info(), m.parts().stream().filter(p -> p instanceof Part.StepStart || p instanceof Part.StepFinish
                            || p instanceof Part.ModelSwitch || p instanceof Part.Compaction).toList()))
                    .toList());
            assertThat(storage.messages().withStepParts(s.id()).get(1).parts()).hasSize(3);
        }
    }

    @Test
    void anUpsertReplacesTheStoredAnswerAndPartOfTheSameId() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(s);
            storage.messages().insertUser(u, List.of());
            var answer = openAnswer(s, u.id());
            storage.messages().upsertAssistant(answer);
            var part = text(answer, "hel");
            storage.messages().upsertPart(part);
            var grown = new Part.Text(part.id(), s.id(), answer.id(), "hello", false);
            storage.messages().upsertPart(grown);
            var done = answer.completed(3, "stop", new Usage(10, 2, 0, 0, 0), 7);
            storage.messages().upsertAssistant(done);

            assertThat(storage.messages().parts(answer.id())).containsExactly(grown);
            assertThat(storage.messages().bySession(s.id()).get(1).info()).isEqualTo(done);
            assertThat(storage.messages().openAssistantMessages()).isEmpty();
        }
    }

    @Test
    void aPartWrittenBehindIsStoredInOrderOnceItsFutureCompletes() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(s);
            storage.messages().insertUser(u, List.of());
            var part = text(u, "a");
            CompletableFuture<Void> first = storage.messages().upsertPartBehind(part);
            var last = new Part.Text(part.id(), s.id(), u.id(), "abc", false);
            CompletableFuture<Void> second = storage.messages().upsertPartBehind(last);
            second.join();
            assertThat(first).isDone();
            assertThat(storage.messages().parts(u.id())).containsExactly(last);
            storage.messages().upsertPartBehind(text(u, "z"));
            storage.messages().awaitQueuedWrites();
            assertThat(storage.messages().parts(u.id())).hasSize(2);
        }
    }

    @Test
    void aRunningAnswersFiguresWrittenBehindCommitBeforeItsCompletionAndACrashKeepsThem() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(s);
            storage.messages().insertUser(u, List.of());
            var answer = openAnswer(s, u.id());
            storage.messages().upsertAssistant(answer);
            // a finished step, then a response whose tools were still running: its figures are only the message's
            var step = new Part.StepFinish(PartId.next(), s.id(), answer.id(), "tool_calls", new Usage(100, 10, 0, 0, 0), 40, Optional.empty());
            storage.messages().upsertPart(step);
            var soFar = answer.spentSoFar(new Usage(200, 20, 0, 0, 0), 80);
            CompletableFuture<Void> written = storage.messages().upsertAssistantBehind(soFar);
            storage.messages().awaitQueuedWrites();
            assertThat(written).isDone();
            assertThat(storage.messages().bySession(s.id()).get(1).info()).isEqualTo(soFar);
            assertThat(storage.messages().openAssistantMessages()).containsExactly(soFar);

            AssistantMessage closed = storage.messages().closeInterrupted(soFar, 9, MessageError.interrupted());
            assertThat(closed.cost()).as("the larger of the steps' and the message's own").isEqualTo(80);
            assertThat(closed.usage()).isEqualTo(new Usage(200, 20, 0, 0, 0));
            assertThat(storage.sessions().find(s.id()).orElseThrow().cost()).isEqualTo(80);
        }
    }

    @Test
    void aPageIsTheNewestMessagesBeforeAnIdOldestFirstAndSaysWhetherOlderOnesExist() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            List<MessageId> written = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                var u = user(s);
                storage.messages().insertUser(u, List.of(text(u, "m" + i)));
                written.add(u.id());
            }
            MessagePage last = storage.messages().page(s.id(), 2, Optional.empty());
            assertThat(ids(last.messages())).containsExactly(written.get(3), written.get(4));
            assertThat(last.more()).isTrue();
            assertThat(last.messages().getFirst().parts()).hasSize(1);
            MessagePage before = storage.messages().page(s.id(), 2, Optional.of(written.get(3)));
            assertThat(ids(before.messages())).containsExactly(written.get(1), written.get(2));
            MessagePage first = storage.messages().page(s.id(), 2, Optional.of(written.get(1)));
            assertThat(ids(first.messages())).containsExactly(written.get(0));
            assertThat(first.more()).isFalse();
            assertThat(storage.messages().page(s.id(), 2, Optional.of(written.get(0)))).isEqualTo(new MessagePage(List.of(), false));
        }
    }

    @Test
    void theLastStepFinishIsTheNewestOne() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            assertThat(storage.messages().lastStepFinish(s.id())).isEmpty();
            assertThat(storage.messages().lastAnswer(s.id())).isEmpty();
            assertThat(storage.messages().hasMessages(s.id())).isFalse();
            var u = user(s);
            storage.messages().insertUser(u, List.of());
            var answer = openAnswer(s, u.id());
            storage.messages().upsertAssistant(answer);
            var one = new Part.StepFinish(PartId.next(), s.id(), answer.id(), "tool-calls", new Usage(1, 0, 0, 0, 0), 1, Optional.empty());
            var two = new Part.StepFinish(PartId.next(), s.id(), answer.id(), "stop", new Usage(2, 0, 0, 0, 0), 2, Optional.of("abc123"));
            storage.messages().upsertPart(one);
            storage.messages().upsertPart(two);
            storage.messages().upsertPart(text(answer, "after"));
            assertThat(storage.messages().lastStepFinish(s.id())).as("with its snapshot reference").contains(two);
        }
    }

    @Test
    void deletingAPartAMessageOrEverythingFromAMessageOn() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            List<UserMessage> written = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                var u = user(s);
                storage.messages().insertUser(u, List.of(text(u, "a" + i), text(u, "b" + i)));
                written.add(u);
            }
            var doomed = storage.messages().parts(written.get(0).id()).getFirst();
            storage.messages().deletePart(doomed.id());
            assertThat(storage.messages().parts(written.get(0).id())).hasSize(1).doesNotContain(doomed);

            storage.messages().deleteMessage(written.get(1).id());
            assertThat(ids(storage.messages().bySession(s.id()))).containsExactly(written.get(0).id(), written.get(2).id(), written.get(3).id());
            assertThat(storage.messages().parts(written.get(1).id())).isEmpty();

            storage.messages().deleteFrom(s.id(), written.get(2).id());
            assertThat(ids(storage.messages().bySession(s.id()))).containsExactly(written.get(0).id());
            assertThat(storage.messages().parts(written.get(3).id())).isEmpty();
        }
    }

    @Test
    void readersRunBesideAWriterAndSeeOnlyWholeCommittedWrites() throws Exception {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            int writes = 200;
            var failure = new AtomicReference<Throwable>();
            var writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < writes; i++) {
                    var u = user(s);
                    storage.messages().insertUser(u, List.of(text(u, "a"), text(u, "b")));
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        int seen = 0;
                        while (seen < writes) {
                            var all = storage.messages().bySession(s.id());
                            assertThat(all.size()).isGreaterThanOrEqualTo(seen);
                            for (MessageWithParts m : all) assertThat(m.parts()).as("a message with both its parts").hasSize(2);
                            seen = all.size();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            writer.join();
            for (Thread t : readers) t.join(60_000);
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertThat(storage.messages().bySession(s.id())).hasSize(writes);
        }
    }

    // ---- todos

    @Test
    void aTodoListIsReplacedWhole() {
        try (Storage storage = open(tmp)) {
            Session s = stored(storage, DIR, Optional.empty(), 1, 1);
            assertThat(storage.todos().find(s.id())).isEmpty();
            var first = List.of(new Todo("a", Todo.Status.PENDING, Todo.Priority.HIGH), new Todo("b", Todo.Status.IN_PROGRESS, Todo.Priority.LOW));
            storage.todos().replace(s.id(), first);
            assertThat(storage.todos().find(s.id())).isEqualTo(first);
            var second = List.of(new Todo("c", Todo.Status.COMPLETED, Todo.Priority.MEDIUM));
            storage.todos().replace(s.id(), second);
            assertThat(storage.todos().find(s.id())).isEqualTo(second);
            storage.todos().replace(s.id(), List.of());
            assertThat(storage.todos().find(s.id())).isEmpty();
        }
    }

    // ---- approvals

    @Test
    void approvalsAreAddedOnceKeptPerProjectAndRemovedOneByOne() {
        try (Storage storage = open(tmp)) {
            ProjectId project = storage.projects().idFor(DIR);
            ProjectId other = storage.projects().idFor("/work/q");
            var bash = new Rule("bash", "git status*", Action.ALLOW, RuleOrigin.APPROVAL);
            var edit = new Rule("edit", "src/**", Action.ALLOW, RuleOrigin.APPROVAL);
            storage.approvals().add(project, List.of(bash));
            long first = storage.approvals().stored(project).getFirst().createdAt();
            while (System.currentTimeMillis() <= first) Thread.onSpinWait();  // a second answer would carry a later time
            storage.approvals().add(project, List.of(bash, edit));

            assertThat(storage.approvals().rules(project)).containsExactlyInAnyOrder(bash, edit);
            assertThat(storage.approvals().stored(project)).filteredOn(a -> a.rule().equals(bash)).singleElement()
                    .extracting(ApprovalStore.Stored::createdAt).as("the first answer's time").isEqualTo(first);
            assertThat(storage.approvals().rules(other)).isEmpty();

            assertThat(storage.approvals().remove(project, "bash", "git status*")).isTrue();
            assertThat(storage.approvals().remove(project, "bash", "git status*")).isFalse();
            assertThat(storage.approvals().rules(project)).containsExactly(edit);
        }
    }

    // ---- transcripts (imports and forks)

    @Test
    void aTranscriptIsStoredWholeAndATakenIdRefusesAllOfIt() {
        try (Storage storage = open(tmp)) {
            Session imported = newSession(storage, DIR, Optional.empty(), 1, 1);
            var u = new UserMessage(MessageId.next(), imported.id(), 1, "build", "a/b");
            var answer = openAnswer(imported, u.id()).completed(3, "stop", new Usage(5, 1, 0, 0, 0), 9);
            var messages = List.of(new MessageWithParts(u, List.of(text(u, "hi"))), new MessageWithParts(answer, List.of(text(answer, "hello"))));
            assertThat(storage.transcripts().insertNew(imported, messages)).isEqualTo(new TranscriptStore.Outcome.Stored());
            assertThat(storage.sessions().find(imported.id())).contains(imported);
            assertThat(storage.messages().bySession(imported.id())).isEqualTo(messages);
            assertThat(storage.messages().originals(imported.id())).isEmpty();

            assertThat(storage.transcripts().insertNew(imported, List.of())).isEqualTo(new TranscriptStore.Outcome.Taken("session " + imported.id()));
            Session again = newSession(storage, DIR, Optional.empty(), 2, 2);
            var reused = new UserMessage(u.id(), again.id(), 1, "build", "a/b");
            assertThat(storage.transcripts().insertNew(again, List.of(new MessageWithParts(reused, List.of()))))
                    .isEqualTo(new TranscriptStore.Outcome.Taken("message " + u.id()));
            assertThat(storage.sessions().find(again.id())).as("nothing of a refused transcript").isEmpty();
        }
    }

    @Test
    void aTranscriptReadAgainAddsWhatIsNewAndUpdatesItsPartsOnly() {
        try (Storage storage = open(tmp)) {
            Session imported = newSession(storage, DIR, Optional.empty(), 1, 1);
            var u = new UserMessage(MessageId.next(), imported.id(), 1, "build", "a/b");
            var first = new MessageWithParts(u, List.of(text(u, "hi")));
            assertThat(storage.transcripts().insertNew(imported, List.of(first))).isEqualTo(new TranscriptStore.Outcome.Stored());
            var local = user(imported);
            storage.messages().insertUser(local, List.of(text(local, "added in Lathe")));

            var answer = openAnswer(imported, u.id()).completed(3, "stop", new Usage(5, 1, 0, 0, 0), 9);
            var grown = List.of(first, new MessageWithParts(answer, List.of(text(answer, "hello"))));
            assertThat(storage.transcripts().merge(imported, grown)).as("only the answer is new").isEqualTo(1);
            assertThat(storage.transcripts().merge(imported, grown)).as("read again: nothing new").isZero();
            assertThat(storage.messages().bySession(imported.id())).extracting(m -> m.info().id())
                    .containsExactlyInAnyOrder(u.id(), local.id(), answer.id());
            assertThat(storage.messages().parts(local.id())).as("a message added in Lathe keeps its parts").hasSize(1);
        }
    }

    @Test
    void aForksCopiesNameTheFirstOriginalTheyCopy() {
        try (Storage storage = open(tmp)) {
            Session source = stored(storage, DIR, Optional.empty(), 1, 1);
            var u = user(source);
            storage.messages().insertUser(u, List.of(text(u, "hi")));

            Session fork = newSession(storage, DIR, Optional.empty(), 2, 2);
            var copy = new UserMessage(MessageId.next(), fork.id(), 1, "build", "a/b");
            assertThat(storage.transcripts().insertFork(fork, List.of(new MessageWithParts(copy, List.of(text(copy, "hi")))), Map.of(copy.id(), u.id())))
                    .isEqualTo(new TranscriptStore.Outcome.Stored());
            assertThat(storage.messages().originals(fork.id())).isEqualTo(Map.of(copy.id(), u.id()));
            assertThat(storage.messages().originals(source.id())).isEmpty();
        }
    }

    // ---- schema

    @Test
    void theSchemaVersionIsNumberedAndStaysAcrossAReopen() {
        int version;
        try (Storage storage = open(tmp)) {
            version = storage.schemaVersion();
            assertThat(version).isPositive();
        }
        try (Storage storage = open(tmp)) {
            assertThat(storage.schemaVersion()).isEqualTo(version);
        }
    }

    // ---- recovery (start-up repair through the port)

    @Test
    void recoveryFailsOpenToolPartsAndClosesOpenMessages() {
        try (Storage storage = open(tmp)) {
            var projects = storage.projects();
            var sessions = storage.sessions();
            var messages = storage.messages();
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
        try (Storage storage = open(tmp)) {
            var projects = storage.projects();
            var sessions = storage.sessions();
            var messages = storage.messages();
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
            var spend = storage.spend();
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
