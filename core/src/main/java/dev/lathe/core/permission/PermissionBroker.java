package dev.lathe.core.permission;

import dev.lathe.core.reply.LocalAsks;
import dev.lathe.core.reply.PendingReplies;
import dev.lathe.core.reply.TeamAsks;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import java.util.List;
import java.util.Optional;

/**
 * Asks waiting for an answer, server-wide. {@link #await} blocks the asking tool's virtual thread until any client
 * replies through {@link #reply} or the turn is cancelled.
 */
public final class PermissionBroker {
    private final PendingReplies<PermissionId, PermissionRequest, PermissionReplyRequest> asks;
    /**
     * Prompts sent with {@code allowAll} whose turn has not ended: their asks are answered allow-once where they are
     * raised, so a headless client's answer costs no round trip and no turn waits for it.
     */
    private final java.util.Set<MessageId> allowingAll = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A broker of one process's asks (tests). */
    public PermissionBroker() {
        this(LocalAsks.INSTANCE);
    }

    /** @param team the cluster's asks (DESIGN §20): on a team server, answered through any node */
    public PermissionBroker(TeamAsks team) {
        this.asks = new PendingReplies<>(PermissionRequest::id, PermissionRequest::sessionId, new PendingReplies.Sharing<>(team,
                TeamAsks.Kind.PERMISSION, PermissionRequest.class, PermissionReplyRequest.class));
    }

    /** Registers an ask; the caller publishes it and then calls {@link #await}. */
    public void open(PermissionRequest request, String directory) { asks.open(request, directory); }

    /**
     * Registers an ask that {@code unanswered} judges again whenever a client leaves ({@link #rejudge}): the answer it
     * then gives, when nobody can answer any more, ends the wait (DESIGN §26).
     */
    public void open(PermissionRequest request, String directory, java.util.function.Supplier<Optional<PermissionReplyRequest>> unanswered) {
        asks.open(request, directory, unanswered::get);
    }

    /** A client left: every waiting ask is judged again ({@link PendingReplies#rejudge}). */
    public void rejudge() { asks.rejudge(); }

    /** Blocks until answered; cancellation completes it with a reject. */
    public PermissionReplyRequest await(PermissionId id) throws InterruptedException { return asks.await(id); }

    public void cancel(PermissionId id) {
        asks.complete(id, new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("aborted")));
    }

    /**
     * @throws LatheException.NotFound when no such ask is waiting (on any node of a team server)
     * @throws LatheException.Conflict when a team server's other node took an answer to it first
     */
    public PermissionRequest reply(PermissionId id, PermissionReplyRequest reply) {
        return asks.reply(id, reply).orElseThrow(() -> new LatheException.NotFound("no pending permission " + id));
    }

    /** Whether a call of this session is blocked on an ask. */
    public boolean waitingIn(SessionId session) { return asks.waitingIn(session); }

    public List<PermissionRequest> pending(String directory) { return asks.pending(directory); }

    /** The turn answering {@code prompt} (and the subagents it starts) gets allow-once for every ask. */
    public void allowAll(MessageId prompt) { allowingAll.add(prompt); }

    public boolean allowsAll(MessageId prompt) { return allowingAll.contains(prompt); }

    /**
     * Prompts whose asks nobody will answer ({@link Unwatched}: a goal loop's, a schedule's, {@code --deny-asks}), with
     * their session, until their turn ends: a subagent started meanwhile inherits its parent's.
     */
    private final java.util.Map<MessageId, Marked> unwatched = new java.util.concurrent.ConcurrentHashMap<>();

    private record Marked(SessionId session, Unwatched why) {}

    /** Nobody will answer the asks of the turn answering {@code prompt} of {@code session}, for {@code why}. */
    public void unwatched(SessionId session, MessageId prompt, Unwatched why) { unwatched.put(prompt, new Marked(session, why)); }

    /** The strongest mark of {@code session}'s prompts not yet forgotten; empty when a person answers its asks. */
    public Optional<Unwatched> unwatchedIn(SessionId session) {
        return unwatched.values().stream().filter(m -> m.session().equals(session)).map(Marked::why).reduce(Unwatched::and);
    }

    private final AutoState auto = new AutoState();

    /** What auto-approval remembers: prompts that asked for it, each session's denials (DESIGN §31). */
    public AutoState auto() { return auto; }

    private final TurnModes modes = new TurnModes();

    /** The permission mode each running turn's prompt asked for ({@code default}, {@code acceptEdits}). */
    public TurnModes modes() { return modes; }

    /** The turn that answered {@code prompt} ended. */
    public void forget(MessageId prompt) {
        auto.forget(prompt);
        modes.forget(prompt);
        allowingAll.remove(prompt);
        unwatched.remove(prompt);
    }
}
