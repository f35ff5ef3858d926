package dev.lathe.core.reply;

import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A team server's open permission asks and questions (DESIGN §20), so that any node lists them and takes their answers
 * (the port of {@link PendingReplies}, here beside it: the store's adapters implement it, and the store names permission
 * rules, so a port in the store's package would make permission and the store depend on each other):
 * the ask lives (blocking a tool call) on the node that runs the turn; its request is stored when it opens, an answer
 * given through any node is stored on it once, and the running node is told and completes the waiting call. An ask
 * counts as open only while its node is alive (holds a live session lease). The asks part of the cluster port
 * ({@code core.cluster.Cluster}): in one process ({@link LocalAsks}) an ask is answered only where it waits.
 *
 * <p>Requests and replies are stored as the protocol's JSON ({@code WireJson}); this port does not read them.
 */
public interface TeamAsks {
    enum Kind { PERMISSION, QUESTION }

    /** An ask open on some live node: its request's JSON. */
    record Open(String id, String directory, String request) {}

    /** What an answer found. */
    enum Answer {
        /** Stored: the ask was open and had no answer; its node is told. */
        STORED,
        /** The ask exists but was answered already (through any node). */
        TAKEN,
        /** No open ask of this kind has that id on a live node. */
        UNKNOWN
    }

    /** Stores an ask this node opened (before it is published); removed again by {@link #closed}. */
    void opened(Kind kind, String id, SessionId session, String directory, String request);

    /** Stores {@code reply} as the answer to ask {@code id}, unless it is answered already or not open on a live node. */
    Answer answer(Kind kind, String id, String reply);

    /** The stored request of ask {@code id} while it is open on a live node. */
    Optional<String> request(Kind kind, String id);

    /** This node's ask {@code id} stopped waiting (answered or cancelled): it is no longer listed anywhere. */
    void closed(String id);

    /** The asks of this kind open on live nodes, in one folder or (empty string) everywhere, oldest first. */
    List<Open> open(Kind kind, String directory);

    /** Hands {@code answered} (id, reply JSON) each answer given elsewhere to this node's asks of {@code kind}; repeats are possible. */
    void listen(Kind kind, BiConsumer<String, String> answered);
}
