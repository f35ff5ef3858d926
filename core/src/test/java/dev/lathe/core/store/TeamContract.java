package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.TeamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The agent teams part of the storage contract (migrations V013 and V015), on every adapter. */
public abstract class TeamContract extends StorageFixture {
    private static final SessionId LEAD = SessionId.next();
    private static final TeamStore.Member ANA = new TeamStore.Member("ana", SessionId.next(), "build", "fake/one");
    private static final TeamStore.Member BO = new TeamStore.Member("bo", SessionId.next(), "plan", "fake/two");

    private static TeamStore.Team team() {
        return new TeamStore.Team(TeamId.next(), "fixers", LEAD, 1_000L);
    }

    @Test
    void aTeamIsKeptWithItsMembersTasksAndMessages() {
        var t = team();
        try (Storage storage = open(tmp)) {
            storage.teams().create(t, List.of(ANA, BO));
            storage.teams().addTask(t.id(), "find the bug", List.of());
            storage.teams().addTask(t.id(), "fix it", List.of(1));
            storage.teams().logMessage(t.id(), new TeamStore.Message("m1", "ana", "bo", "hi <b>", 5L), List.of());
        }
        try (Storage storage = open(tmp)) {
            var teams = storage.teams();
            assertThat(teams.find(t.id())).contains(t);
            assertThat(teams.ofSession(LEAD)).contains(t);
            assertThat(teams.ofSession(BO.session())).contains(t);
            assertThat(teams.ofSession(SessionId.next())).isEmpty();
            assertThat(teams.members(t.id())).containsExactly(ANA, BO);
            assertThat(teams.tasks(t.id())).containsExactly(new TeamStore.Task(1, "find the bug", TeamStore.Status.PENDING, Optional.empty(), List.of()),
                    new TeamStore.Task(2, "fix it", TeamStore.Status.PENDING, Optional.empty(), List.of(1)));
            assertThat(teams.messages(t.id(), 10)).containsExactly(new TeamStore.Message("m1", "ana", "bo", "hi <b>", 5L));
            assertThatThrownBy(() -> teams.addTask(t.id(), "x", List.of(7))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task 7");
        }
    }

    @Test
    void theBoardReadsEachSessionsPlaceInATeamAtOnce() {
        var t = team();
        SessionId alone = SessionId.next();
        try (Storage storage = open(tmp)) {
            var teams = storage.teams();
            assertThat(teams.places(List.of())).isEmpty();
            teams.create(t, List.of(ANA));
            teams.addMember(t.id(), BO);
            var places = teams.places(List.of(LEAD, ANA.session(), BO.session(), alone));
            assertThat(places).hasSize(3).doesNotContainKey(alone);
            assertThat(places.get(LEAD)).isEqualTo(new TeamStore.Place(t, Optional.empty(), 2));
            assertThat(places.get(ANA.session())).isEqualTo(new TeamStore.Place(t, Optional.of("ana"), 2));
            assertThat(places.get(BO.session())).isEqualTo(new TeamStore.Place(t, Optional.of("bo"), 2));
            assertThat(teams.places(List.of(alone))).isEmpty();
        }
    }

    @Test
    void aTaskIsClaimedOnceAndOnlyAfterItsDependencies() {
        var t = team();
        try (Storage storage = open(tmp)) {
            var teams = storage.teams();
            teams.create(t, List.of(ANA, BO));
            teams.addTask(t.id(), "find", List.of());
            teams.addTask(t.id(), "fix", List.of(1));
            assertThat(teams.claim(t.id(), 2, "bo")).isEqualTo(new TeamStore.Claim.Blocked(teams.tasks(t.id()).get(1), List.of(1)));
            assertThat(teams.claim(t.id(), 1, "ana")).isInstanceOf(TeamStore.Claim.Claimed.class);
            assertThat(teams.claim(t.id(), 1, "bo")).isInstanceOfSatisfying(TeamStore.Claim.Taken.class,
                    taken -> assertThat(taken.task().owner()).contains("ana"));
            assertThat(teams.claim(t.id(), 9, "bo")).isInstanceOf(TeamStore.Claim.Missing.class);
            assertThat(teams.update(t.id(), 1, TeamStore.Status.COMPLETED, Optional.empty()).orElseThrow().status()).isEqualTo(TeamStore.Status.COMPLETED);
            assertThat(teams.claim(t.id(), 2, "bo")).isInstanceOfSatisfying(TeamStore.Claim.Claimed.class,
                    c -> assertThat(c.task().owner()).contains("bo"));
            assertThat(teams.update(t.id(), 9, TeamStore.Status.COMPLETED, Optional.empty())).isEmpty();
        }
    }

    @Test
    void ofManyClaimsAtOnceOneWins() throws Exception {
        var t = team();
        try (Storage storage = open(tmp); var pool = Executors.newFixedThreadPool(8)) {
            storage.teams().create(t, List.of(ANA, BO));
            storage.teams().addTask(t.id(), "only one", List.of());
            var claims = new ArrayList<Future<TeamStore.Claim>>();
            for (int i = 0; i < 8; i++) {
                String who = "member-" + i;
                claims.add(pool.submit((Callable<TeamStore.Claim>) () -> storage.teams().claim(t.id(), 1, who)));
            }
            int won = 0;
            for (var c : claims) won += c.get() instanceof TeamStore.Claim.Claimed ? 1 : 0;
            assertThat(won).isEqualTo(1);
        }
    }

    /**
     * A message is logged with a delivery per recipient; of deliverers at once (nodes, or a node and a restart's sweep)
     * exactly one writes it into the recipient's session, and a delivery made is no longer waiting after a reopen.
     */
    @Test
    void aMessageIsDeliveredToEachRecipientExactlyOnce() throws Exception {
        var t = team();
        try (Storage storage = open(tmp); var pool = Executors.newFixedThreadPool(8)) {
            storage.sessions().insert(new Session(BO.session(), storage.projects().idFor("/work/a"), "/work/a", Optional.empty(), "bo", "plan", "fake/two", 1, 1,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty()));
            var teams = storage.teams();
            teams.create(t, List.of(ANA, BO));
            teams.logMessage(t.id(), new TeamStore.Message("m1", "ana", "*", "found it", 5L), List.of(BO.session(), LEAD));
            var waiting = teams.undelivered();
            assertThat(waiting).containsExactlyInAnyOrder(new TeamStore.Delivery("m1", BO.session(), "ana", "found it"),
                    new TeamStore.Delivery("m1", LEAD, "ana", "found it"));
            TeamStore.Delivery toBo = waiting.stream().filter(d -> d.recipient().equals(BO.session())).findFirst().orElseThrow();
            var tries = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                tries.add(pool.submit(() -> {
                    var m = new UserMessage(MessageId.next(), BO.session(), 6L, "plan", "fake/two");
                    return teams.deliver(toBo, m, List.of(new Part.Text(PartId.next(), BO.session(), m.id(), "<message from=\"ana\">", false)));
                }));
            }
            int made = 0;
            for (var d : tries) made += d.get() ? 1 : 0;
            assertThat(made).isEqualTo(1);
            assertThat(storage.messages().bySession(BO.session())).hasSize(1);
            teams.discard(waiting.stream().filter(d -> d.recipient().equals(LEAD)).findFirst().orElseThrow());
        }
        try (Storage storage = open(tmp)) {
            assertThat(storage.teams().undelivered()).isEmpty();
            assertThat(storage.messages().bySession(BO.session())).hasSize(1);
        }
    }
}
