package dev.lathe.core.session;

import dev.lathe.core.ask.PermissionGate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.PermissionCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability of answers (DESIGN §4 "persist, then announce"), found by CrashLoopIT's kills right after an announcement. */
class PermissionGateTest {
    @TempDir Path tmp;

    @Test
    void aDenialNamesTheRuleAndTheFileItIsWrittenIn() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var bus = EventBus.standard();
            var approvals = new PermissionGate.Approvals() {
                @Override public List<Rule> rules() { return List.of(); }

                @Override public void add(List<Rule> more, dev.lathe.protocol.event.ApprovalScope scope) { }
            };
            long now = System.currentTimeMillis();
            var session = new Session(SessionId.next(), ProjectId.next(), tmp.toString(), Optional.empty(), "t", "build", "fake/m", now, now,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty());
            var origin = new dev.lathe.core.permission.RuleOrigin(dev.lathe.core.permission.RuleOrigin.Layer.PROJECT, "/repo/lathe.json");
            var gate = gate(session, () -> new Ruleset(List.of(new Rule("edit", "*", Action.DENY, origin))),
                    approvals, new PermissionBroker(), new Journal(SqliteStorage.over(db).messages(), SqliteStorage.over(db).sessions(), bus));
            // issue 42: lathe run printed "A permission rule denies edit for a.txt" and the user had to guess which one;
            // DESIGN §18 "Unattended work": Denied by RULE (FILE)
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gate.require(PermissionCheck.of("edit", dev.lathe.tools.PermissionSource.Pattern.PATH,
                    "a.txt", "Edit a.txt"))).isInstanceOf(dev.lathe.tools.PermissionRejected.class)
                    .hasMessageStartingWith("Denied by edit: * (/repo/lathe.json): edit of a.txt is not permitted.");
        }
    }

    @Test
    void anAlwaysAnswerIsStoredBeforeItIsAnnounced() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var bus = EventBus.standard();
            var broker = new PermissionBroker();
            // the bus's last seq when the approval is written: the reply must not have been published yet
            List<Long> publishedBeforeStore = new CopyOnWriteArrayList<>();
            var approvals = new PermissionGate.Approvals() {
                @Override public List<Rule> rules() { return List.of(); }

                @Override public void add(List<Rule> more, dev.lathe.protocol.event.ApprovalScope scope) { publishedBeforeStore.add(bus.lastSeq()); }
            };
            long now = System.currentTimeMillis();
            var session = new Session(SessionId.next(), ProjectId.next(), tmp.toString(), Optional.empty(), "t", "build", "fake/m", now, now,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty());
            var gate = gate(session, () -> new Ruleset(List.of(new Rule("edit", "*", Action.ASK))), approvals,
                    broker, new Journal(SqliteStorage.over(db).messages(), SqliteStorage.over(db).sessions(), bus));
            List<EventEnvelope> events = new CopyOnWriteArrayList<>();
            try (var _ = bus.subscribe(EventFilter.ALL, 0, events::add)) {
                Thread asking = Thread.ofVirtual().start(() -> gate.require(PermissionCheck.of("edit", dev.lathe.tools.PermissionSource.Pattern.PATH, "a.txt", "Edit a.txt")));
                while (broker.pending(session.directory()).isEmpty()) Thread.sleep(5);
                broker.reply(broker.pending(session.directory()).getFirst().id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
                asking.join();
                while (events.stream().noneMatch(e -> e.event() instanceof Event.PermissionReplied)) Thread.sleep(5);
            }
            long replied = events.stream().filter(e -> e.event() instanceof Event.PermissionReplied).findFirst().orElseThrow().seq();
            assertThat(publishedBeforeStore).singleElement().satisfies(seq -> assertThat(seq).isLessThan(replied));
        }
    }

    @Test
    void anAlwaysAnswerForAProtectedPathStoresNoRuleAndTheNextWriteAsksAgain() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var bus = EventBus.standard();
            var broker = new PermissionBroker();
            List<Rule> stored = new CopyOnWriteArrayList<>();
            var approvals = new PermissionGate.Approvals() {
                @Override public List<Rule> rules() { return List.copyOf(stored); }

                @Override public void add(List<Rule> more, dev.lathe.protocol.event.ApprovalScope scope) { stored.addAll(more); }
            };
            long now = System.currentTimeMillis();
            var session = new Session(SessionId.next(), ProjectId.next(), tmp.toString(), Optional.empty(), "t", "build", "fake/m", now, now,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty());
            var gate = gate(session, () -> new Ruleset(List.of(new Rule("edit", "*", Action.ALLOW))), approvals,
                    broker, new Journal(SqliteStorage.over(db).messages(), SqliteStorage.over(db).sessions(), bus));
            var check = new PermissionCheck("edit", dev.lathe.tools.PermissionSource.Pattern.PATH, List.of("notes.txt", ".git/config"),
                    List.of("notes.txt", ".git/config"), "Edit notes.txt", java.util.Map.of());
            for (int round = 0; round < 2; round++) {
                Thread asking = Thread.ofVirtual().start(() -> gate.require(check));
                // edit: allow, yet it asks, and after "always" it asks again
                while (broker.pending(session.directory()).isEmpty()) Thread.sleep(5);
                broker.reply(broker.pending(session.directory()).getFirst().id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
                asking.join();
            }
            // "always" to an edit is every edit of the session; the protected path is still asked for each time
            assertThat(stored).extracting(Rule::pattern).containsExactly("*", "*");
        }
    }

    /** A gate for call {@code c1} asking clients, with no audit or hooks, guarding what this process's environment protects. */
    private static PermissionGate gate(Session session, java.util.function.Supplier<Ruleset> rules, PermissionGate.Approvals approvals,
            PermissionBroker broker, Journal journal) {
        return new PermissionGate.ForTurn(session, approvals, broker, journal.of(session), new Cancellation(), dev.lathe.core.permission.DecisionLog.NONE,
                dev.lathe.core.permission.ProtectedPaths.fromEnvironment(System.getenv()))
                .gate(MessageId.next(), "c1", () -> List.of(rules.get()), PermissionGate.Asks.CLIENT_ANSWERS, dev.lathe.core.ask.AskHooks.NONE);
    }
}
