package dev.lathe.core.store.postgresql;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A node's sessions as the lease tests see them: which it was handed, which it says run, which it was told stopped. */
final class RecordingRuns implements SessionLeases.Runs {
    final List<SessionId> taken = new CopyOnWriteArrayList<>();
    final Set<SessionId> running = ConcurrentHashMap.newKeySet();
    final Set<SessionId> stopped = ConcurrentHashMap.newKeySet();
    /** The sessions a user's stop reached on this node. */
    final List<SessionId> aborted = new CopyOnWriteArrayList<>();
    /** What the last pass that left sessions waiting said of them. */
    volatile java.util.Map<SessionId, dev.lathe.protocol.session.SessionStatus.Queued> leftWaiting = java.util.Map.of();

    @Override public boolean running(SessionId id) { return running.contains(id); }

    @Override public int runningCount() { return running.size(); }

    @Override
    public void take(SessionId id) {
        taken.add(id);
        running.add(id);
    }

    @Override public List<SessionId> running() { return List.copyOf(running); }

    @Override public void stopped(Set<SessionId> sessions) { stopped.addAll(sessions); }

    @Override public void abort(SessionId id) { aborted.add(id); }

    /** The sessions whose history has a prompt waiting, as a runner would find it. */
    final Set<SessionId> waits = ConcurrentHashMap.newKeySet();

    @Override public boolean promptWaits(SessionId id) { return waits.contains(id); }

    @Override public void leftWaiting(java.util.Map<SessionId, dev.lathe.protocol.session.SessionStatus.Queued> waiting) { leftWaiting = waiting; }
}
