package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.SessionStatus;

/**
 * Which node runs a session's turns on a team server (DESIGN §20): one at a time, by a lease (node, heartbeat, expiry by
 * the database's clock) that its holder renews while it runs the session. A prompt sent through any node is taken by
 * that node when no other live node holds the lease and it has room, else queued in the database ({@link #queue}) for
 * the lease holder, or any node with room when no live lease exists. A node that dies
 * stops renewing; after the expiry another node takes the lease, closes what the dead one left running as interrupted
 * (as a restart does, DESIGN §4) and answers the prompts still waiting. The leases part of the {@link Cluster} port: in
 * one process ({@link LocalLeases}) this node takes every prompt at once.
 */
public interface SessionLeases {
    /** What the node that takes a lease does with its sessions: given by the sessions' owner at {@link #start}. */
    interface Runs {
        /** Whether this node runs a turn (or job) of the session now: its lease is kept while it does. */
        boolean running(SessionId id);

        /** Runs the session's waiting prompts: called once this node holds the session's lease. */
        void take(SessionId id);

        /** The sessions this node runs a turn (or job) in now, subagents' children included. */
        java.util.List<SessionId> running();

        /**
         * What ran in these sessions on a node that died was closed as interrupted (this node took them over): they are
         * idle now, and clients are told so.
         */
        void stopped(java.util.Set<SessionId> sessions);

        /** Stops what runs in the session on this node (a user's stop, sent through any node); nothing when nothing runs. */
        void abort(SessionId id);

        /** How many sessions this node runs now: a node with {@code --max-sessions} takes no new one beyond its bound. */
        int runningCount();

        /**
         * A pass over the queue left these sessions waiting, none of the nodes it knows having room: clients are told
         * their place (again when it changes).
         */
        default void leftWaiting(java.util.Map<SessionId, SessionStatus.Queued> waiting) {}

        /**
         * Whether a prompt of the session waits for a turn (unanswered, or queued behind a turn): a draining node that
         * lets go of the session queues it for another node then ({@link #release}).
         */
        default boolean promptWaits(SessionId id) { return false; }
    }

    /** Starts taking, renewing and letting go of leases for {@code runs}; called once. Stops when the store closes. */
    void start(Runs runs);

    /**
     * Stops the session's running turn or job wherever it runs: on this node at once; on a team server the node that runs
     * it hears the request (it is not waited for: the session's status says when it stopped).
     */
    void stop(SessionId id);

    /** Queues the session's newest prompt (already stored) for whichever node may run it, this one first. */
    void queue(SessionId id);

    /**
     * Whether another live node holds the session's lease: what this node's status of a session it does not run says
     * ({@code busy}), so a client attached here waits for a turn that runs elsewhere.
     */
    boolean busyElsewhere(SessionId id);

    /**
     * The sessions whose prompt waits for a node, none running it (here or elsewhere), in the order they are taken,
     * each with its place and what it waits for: their status reads {@code queued}, never {@code busy}.
     */
    java.util.Map<SessionId, SessionStatus.Queued> waiting();

    /**
     * The node drains (DESIGN §34): from now on it takes no session, neither a prompt sent through it (queued in the
     * store for another node) nor queued work; it keeps renewing the leases of the sessions it still runs. In one
     * process there is no other node: nothing changes.
     */
    default void drain() {}

    /**
     * The draining node lets go of the leases of the sessions it no longer runs, each with a prompt waiting queued for
     * another node, which every node is told of at once; a session still running here keeps its lease, which expires
     * when this node stops (another node then takes it over as after a crash). In one process, nothing.
     */
    default void release() {}

    /** How many session leases this node holds now ({@code GET /metrics}); in one process there are none to hold. */
    default int held() { return 0; }

    /**
     * Sessions whose prompt waits with no live node holding them, across the team ({@code GET /metrics}'s queue depth,
     * the count deploy/kubernetes's KEDA scaler reads with the same SQL): what more nodes would take.
     */
    default long queueDepth() { return waiting().size(); }

    /**
     * Whether a session's turns may run on another node, on another machine whose folders this one may not have: then
     * the node that takes the session readies its worktree, not the node a prompt came through.
     */
    boolean mayRunElsewhere();
}
