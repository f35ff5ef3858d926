package dev.lathe.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.ask.AskNotices;
import dev.lathe.core.config.Config;
import dev.lathe.core.permission.DecisionLog;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared ask of a reached limit on the real broker and store, its turns' interleavings played one step at a time. */
class BudgetAskTest {
    @TempDir Path tmp;

    /**
     * Two subagents of a tree find the limit reached together; the first asks and is allowed once before the second
     * gets to ask. The second's figures are from before the raise, but the raise covers it: it opens no second card.
     */
    @Test
    void aTurnThatComesToAskAfterTheTreesAskWasAnsweredOpensNoSecondCard() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var sessions = SqliteStorage.over(db).sessions();
            var session = new Session(SessionId.next(), SqliteStorage.over(db).projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), new Usage(6_000, 10, 0, 0, 0), 0, Optional.empty());
            sessions.insert(session);
            var budgets = new Budgets(SqliteStorage.over(db).spend());
            var limits = new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES, new Config.SpendCap(0, 5_000), Config.SpendCap.NONE,
                    Config.SpendCap.NONE);
            var inFlight = new Budgets.InFlight(new MessageId("msg_none"), List.of());
            var broker = new PermissionBroker();
            List<Event> published = new CopyOnWriteArrayList<>();
            AskNotices notices = new AskNotices() {
                @Override public void publish(Event event) { published.add(event); }

                @Override public void status(SessionStatus status) { }
            };
            var ask = new BudgetAsk(budgets, broker, notices, DecisionLog.NONE, AskHooks.NONE, dev.lathe.core.ask.PermissionGate.Unattended.ATTENDED);

            // both turns found the limit reached, before anyone answered
            Budgets.Reached first = budgets.reached(session, limits, inFlight).orElseThrow();
            Budgets.Reached second = budgets.reached(session, limits, inFlight).orElseThrow();

            // the first asks, and another client allows once; its ask is over before the second turn asks
            var firstAnswer = CompletableFuture.supplyAsync(() -> ask.ask(session, new MessageId("msg_first"), first,
                    () -> budgets.reached(session, limits, inFlight), new Cancellation()), r -> Thread.ofVirtual().start(r));
            for (int i = 0; i < 500 && broker.pending("/p").isEmpty(); i++) Thread.sleep(10);
            broker.reply(broker.pending("/p").getFirst().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            assertThat(firstAnswer.get(10, TimeUnit.SECONDS)).isEqualTo(BudgetAsk.Answer.RAISED);

            var cancellation = new Cancellation();
            var secondAnswer = CompletableFuture.supplyAsync(() -> ask.ask(session, new MessageId("msg_second"), second,
                    () -> budgets.reached(session, limits, inFlight), cancellation), r -> Thread.ofVirtual().start(r));
            try {
                assertThat(secondAnswer.get(10, TimeUnit.SECONDS)).as("check again, and find the limit raised").isEqualTo(BudgetAsk.Answer.AGAIN);
            } finally {
                cancellation.cancel();  // without the re-check it waits on a second card
            }
            assertThat(published.stream().filter(Event.PermissionAsked.class::isInstance)).as("one card").hasSize(1);
            assertThat(budgets.reached(session, limits, inFlight)).isEmpty();
        }
    }

    /**
     * Issue 79: a background child at its spend limit waited forever, as the limit's ask never met
     * {@code permission.unattended}. Nobody to answer when it asks: it is not opened, and the turn stops at the limit;
     * asked while a client watched and that client then left: it is judged again ({@link PermissionBroker#rejudge}) and
     * ends the same way, never raised.
     */
    @Test
    void aLimitsAskNobodyCanAnswerStopsTheTurnWhenRaisedAndWhenTheLastClientLeaves() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var sessions = SqliteStorage.over(db).sessions();
            var session = new Session(SessionId.next(), SqliteStorage.over(db).projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), new Usage(6_000, 10, 0, 0, 0), 0, Optional.empty());
            sessions.insert(session);
            var budgets = new Budgets(SqliteStorage.over(db).spend());
            var limits = new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES, new Config.SpendCap(0, 5_000), Config.SpendCap.NONE,
                    Config.SpendCap.NONE);
            var inFlight = new Budgets.InFlight(new MessageId("msg_none"), List.of());
            var broker = new PermissionBroker();
            List<Event> published = new CopyOnWriteArrayList<>();
            AskNotices notices = new AskNotices() {
                @Override public void publish(Event event) { published.add(event); }

                @Override public void status(SessionStatus status) { }
            };
            var nobody = new java.util.concurrent.atomic.AtomicBoolean(true);
            dev.lathe.core.ask.PermissionGate.Unattended unattended = () -> nobody.get()
                    ? Optional.of(dev.lathe.core.permission.PermissionPolicy.Unattended.DENY) : Optional.empty();
            var ask = new BudgetAsk(budgets, broker, notices, DecisionLog.NONE, AskHooks.NONE, unattended);

            Budgets.Reached reached = budgets.reached(session, limits, inFlight).orElseThrow();
            assertThat(ask.ask(session, new MessageId("msg_a"), reached, () -> budgets.reached(session, limits, inFlight), new Cancellation()))
                    .isEqualTo(BudgetAsk.Answer.UNANSWERED);
            assertThat(published).as("no card for nobody").isEmpty();

            // a client watches when it asks; then it leaves
            nobody.set(false);
            var answer = CompletableFuture.supplyAsync(() -> ask.ask(session, new MessageId("msg_b"), reached,
                    () -> budgets.reached(session, limits, inFlight), new Cancellation()), r -> Thread.ofVirtual().start(r));
            for (int i = 0; i < 500 && broker.pending("/p").isEmpty(); i++) Thread.sleep(10);
            assertThat(broker.pending("/p")).singleElement();
            broker.rejudge();
            Thread.sleep(200);
            assertThat(answer).as("someone can still answer: it waits").isNotDone();
            nobody.set(true);
            broker.rejudge();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(BudgetAsk.Answer.UNANSWERED);
            assertThat(broker.pending("/p")).isEmpty();
            assertThat(published).filteredOn(Event.PermissionReplied.class::isInstance).singleElement();
            assertThat(budgets.reached(session, limits, inFlight)).as("never raised").isPresent();
        }
    }
}
