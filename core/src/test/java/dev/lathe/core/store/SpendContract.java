package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.SpendStore.Spent;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SpendStore}: the sums behind the spend limits (decision 119), with ids made at chosen times (ids sort by
 * the time they were made, which the day's sums rely on).
 */
public abstract class SpendContract extends StorageFixture {
    private static final long HOUR = 60 * 60 * 1000L;
    private static final long MIDNIGHT = 1_767_225_600_000L;
    private static final MessageId NOBODY = new MessageId("msg_none");

    private static String stamp(long millis) { return String.format("%012x0000", millis); }

    private static MessageId messageAt(long millis, String tail) { return new MessageId(MessageId.PREFIX + stamp(millis) + tail); }

    private static PartId partAt(long millis, String tail) { return new PartId(PartId.PREFIX + stamp(millis) + tail); }

    /** A step-finish of {@code message} made at {@code millis}, costing {@code cost} micro-dollars and {@code input} tokens. */
    private static Part.StepFinish step(Session s, MessageId message, long millis, long cost, long input) {
        return new Part.StepFinish(partAt(millis, "aaaaaaaaaa"), s.id(), message, "tool-calls", new Usage(input, 0, 0, 0, 0), cost, Optional.empty());
    }

    private static Session session(SessionStore sessions, ProjectStore projects, String dir, Usage usage, long cost) {
        var s = new Session(SessionId.next(), projects.idFor(dir), dir, Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(), usage, cost,
                Optional.empty());
        sessions.insert(s);
        return s;
    }

    private static AssistantMessage open(Session s, MessageId id, MessageId parent) {
        return new AssistantMessage(id, s.id(), parent, "build", "a/b", 1, Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    }

    @Test
    void aSessionsRootIsTheTopOfItsSubagentTreeAndOneAskedForBeforeItWasStoredIsFoundOnceItIs() {
        try (Storage storage = open(tmp)) {
            var sessions = storage.sessions();
            var spend = storage.spend();
            Session top = session(sessions, storage.projects(), "/p", Usage.ZERO, 0);
            Session child = new Session(SessionId.next(), top.projectId(), "/p", Optional.of(top.id()), "t", "build", "a/b", 1, 1, Optional.empty(),
                    Usage.ZERO, 0, Optional.empty());
            sessions.insert(child);
            SessionId later = SessionId.next();
            assertThat(spend.root(later)).as("not stored: itself").isEqualTo(later);
            sessions.insert(new Session(later, top.projectId(), "/p", Optional.of(child.id()), "t", "build", "a/b", 1, 1, Optional.empty(), Usage.ZERO, 0,
                    Optional.empty()));
            assertThat(spend.root(later)).as("stored since: the answer before was not kept").isEqualTo(top.id());
            assertThat(spend.root(later)).isEqualTo(top.id());
            assertThat(spend.root(child.id())).isEqualTo(top.id());
            assertThat(spend.root(top.id())).isEqualTo(top.id());
        }
    }

    @Test
    void aTurnRunningPastMidnightKeepsItsAfterMidnightStepsInTheDayWhenItFinishes() {
        try (Storage storage = open(tmp)) {
            var sessions = storage.sessions();
            var messages = storage.messages();
            var spend = storage.spend();
            Session s = session(sessions, storage.projects(), "/p", Usage.ZERO, 0);
            var user = new UserMessage(messageAt(MIDNIGHT - 2 * HOUR, "uuuuuuuuuu"), s.id(), 1, "build", "a/b");
            messages.insertUser(user, List.of());
            // started an hour before midnight: one step before it, one after
            AssistantMessage late = open(s, messageAt(MIDNIGHT - HOUR, "llllllllll"), user.id());
            messages.upsertAssistant(late);
            messages.upsertPart(step(s, late.id(), MIDNIGHT - HOUR / 2, 100, 1_000));
            messages.upsertPart(step(s, late.id(), MIDNIGHT + HOUR / 6, 200, 2_000));
            assertThat(spend.since(MIDNIGHT, NOBODY)).as("while it runs").isEqualTo(new Spent(200, 2_000));

            messages.upsertAssistant(late.completed(MIDNIGHT + HOUR / 4, "stop", new Usage(3_000, 0, 0, 0, 0), 300));
            assertThat(spend.since(MIDNIGHT, NOBODY)).as("once it finished: the day does not shrink").isEqualTo(new Spent(200, 2_000));

            // an answer of today is counted whole, from its message, beside it
            AssistantMessage today = open(s, messageAt(MIDNIGHT + HOUR, "tttttttttt"), user.id());
            messages.upsertAssistant(today);
            messages.upsertPart(step(s, today.id(), MIDNIGHT + HOUR, 50, 500));
            messages.upsertAssistant(today.completed(MIDNIGHT + HOUR, "stop", new Usage(500, 0, 0, 0, 0), 50));
            assertThat(spend.since(MIDNIGHT, NOBODY)).isEqualTo(new Spent(250, 2_500));
            // an answer started more than a day before midnight is not looked at
            AssistantMessage old = open(s, messageAt(MIDNIGHT - 25 * HOUR, "oooooooooo"), user.id());
            messages.upsertAssistant(old);
            messages.upsertPart(step(s, old.id(), MIDNIGHT + 2 * HOUR, 7, 70));
            messages.upsertAssistant(old.completed(MIDNIGHT + 2 * HOUR, "stop", new Usage(70, 0, 0, 0, 0), 7));
            assertThat(spend.since(MIDNIGHT, NOBODY)).isEqualTo(new Spent(250, 2_500));
        }
    }

    @Test
    void aForkStartsAtNothingAndTheProjectCountsACopyOnceEvenWhenItsOriginalIsGone() {
        try (Storage storage = open(tmp)) {
            var sessions = storage.sessions();
            var projects = storage.projects();
            var messages = storage.messages();
            var spend = storage.spend();
            long now = System.currentTimeMillis();
            Session source = session(sessions, projects, "/p", new Usage(1_000, 0, 0, 0, 0), 100);
            var user = new UserMessage(MessageId.next(), source.id(), now, "build", "a/b");
            messages.insertUser(user, List.of());
            AssistantMessage answer = open(source, MessageId.next(), user.id()).completed(now, "stop", new Usage(1_000, 0, 0, 0, 0), 100);
            messages.upsertAssistant(answer);

            // the fork as Forks writes it: copies that name their original, totals that include what the copies cost
            var fork = new Session(SessionId.next(), projects.idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(),
                    new Usage(1_000 + 40, 0, 0, 0, 0), 100 + 4, Optional.empty());
            var userCopy = new UserMessage(MessageId.next(), fork.id(), now, "build", "a/b");
            AssistantMessage answerCopy = new AssistantMessage(MessageId.next(), fork.id(), userCopy.id(), "build", "a/b", now, Optional.of(now),
                    Optional.of("stop"), Optional.empty(), new Usage(1_000, 0, 0, 0, 0), 100);
            assertThat(storage.transcripts().insertFork(fork, List.of(new MessageWithParts(userCopy, List.of()), new MessageWithParts(answerCopy, List.of())),
                    Map.of(userCopy.id(), user.id(), answerCopy.id(), answer.id()))).isEqualTo(new TranscriptStore.Outcome.Stored());
            AssistantMessage own = open(fork, MessageId.next(), userCopy.id()).completed(now, "stop", new Usage(40, 0, 0, 0, 0), 4);
            messages.upsertAssistant(own);

            assertThat(spend.session(fork.id(), NOBODY)).as("the fork's own answer only").isEqualTo(new Spent(4, 40));
            assertThat(spend.session(source.id(), NOBODY)).isEqualTo(new Spent(100, 1_000));
            assertThat(spend.project("/p", NOBODY)).as("the copied answer once").isEqualTo(new Spent(104, 1_040));

            // the source deleted: the copy is what is left of that spend, and counts once (as /stats counts it)
            sessions.delete(List.of(source.id()));
            assertThat(spend.project("/p", NOBODY)).isEqualTo(new Spent(104, 1_040));
        }
    }
}
