package dev.lathe.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.reply.TeamAsks;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One process as a cluster of one node: what the team path's callers get when no store URL is given. */
class LocalClusterTest {
    private final LocalCluster cluster = LocalCluster.alone();

    @Test
    void aQueuedPromptIsTakenHereAtOnce() {
        List<SessionId> taken = new ArrayList<>();
        cluster.leases().start(new Taking(taken));
        SessionId id = SessionId.next();
        cluster.leases().queue(id);
        assertThat(taken).containsExactly(id);
        assertThat(cluster.leases().busyElsewhere(id)).isFalse();
        assertThat(cluster.leases().waiting()).isEmpty();
        assertThat(cluster.leases().mayRunElsewhere()).isFalse();
    }

    @Test
    void aPromptQueuedBeforeTheSessionsStartIsAnError() {
        assertThatThrownBy(() -> cluster.leases().queue(SessionId.next())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theBusNumbersEventsAtOnceFromTheStartUpTime() {
        long before = System.currentTimeMillis() * 1000;
        var bus = EventBus.over(cluster.events());
        EventEnvelope first = bus.publish(Optional.empty(), new Event.Resync());
        EventEnvelope second = bus.publish(Optional.empty(), new Event.Resync());
        assertThat(first.seq()).isGreaterThanOrEqualTo(before);
        assertThat(second.seq()).isEqualTo(first.seq() + 1);
        assertThat(bus.lastSeq()).isEqualTo(second.seq());
        assertThat(cluster.events().newest()).isEqualTo(second.seq());
        // nothing is kept beyond the bus's ring: an older seq is a resync
        assertThat(cluster.events().between(first.seq() - 1, second.seq(), 10)).isEmpty();
    }

    @Test
    void nothingIsSharedWithOtherNodes() {
        SessionId id = SessionId.next();
        cluster.asks().opened(TeamAsks.Kind.PERMISSION, "per_1", id, "/p", "{}");
        assertThat(cluster.asks().open(TeamAsks.Kind.PERMISSION, "")).isEmpty();
        assertThat(cluster.asks().request(TeamAsks.Kind.PERMISSION, "per_1")).isEmpty();
        cluster.statuses().announce(id, "{}");
        assertThat(cluster.statuses().elsewhere()).isEmpty();
        assertThat(cluster.tasks().fleet()).isFalse();
        assertThat(cluster.tasks().all()).isEmpty();
        assertThat(cluster.users()).isEqualTo(Cluster.Users.TOKEN_HOLDER);
    }

    private record Taking(List<SessionId> taken) implements SessionLeases.Runs {
        @Override public boolean running(SessionId id) { return false; }

        @Override public void take(SessionId id) { taken.add(id); }

        @Override public List<SessionId> running() { return List.of(); }

        @Override public void stopped(Set<SessionId> sessions) {}

        @Override public void abort(SessionId id) {}

        @Override public int runningCount() { return 0; }

        @Override public void leftWaiting(Map<SessionId, dev.lathe.protocol.session.SessionStatus.Queued> waiting) {}
    }
}
