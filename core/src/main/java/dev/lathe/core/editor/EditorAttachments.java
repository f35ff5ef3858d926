package dev.lathe.core.editor;

import dev.lathe.core.bus.EventBus;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.EditorFiles;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The editors attached to sessions, server-wide, and their requests waiting for an answer. A request is published as
 * {@code editor.requested} (without a write's content, which the editor fetches: {@link #pending}) and waits at most {@code timeout} for {@link #answer}; it is only made while some event
 * subscription would carry it ({@link EventBus#reaches}), so an editor whose stream closed costs nothing (its reads and
 * writes go to disk) and is used again once it is back; a wait ends early when the last such stream is dropped (the
 * server notices a closed connection when it next writes to it: an event, or the heartbeat). An editor that leaves a request unanswered is detached: one
 * timeout, not one per file, and never a hung turn. A detach ends the waits of its requests at once.
 */
public final class EditorAttachments {
    private static final System.Logger LOG = System.getLogger(EditorAttachments.class.getName());
    private static final String PREFIX = "edr_";
    /** How often a wait checks that some event stream still carries the request. */
    private static final Duration RECHECK = Duration.ofMillis(200);

    /** One attached editor. */
    record Attachment(String id, SessionId session, String directory, boolean read, boolean write) {
        boolean offers(EditorRequest.Operation op) {
            return switch (op) {
                case READ -> read;
                case WRITE -> write;
            };
        }
    }

    /** A request waiting for its answer. */
    private record Pending(EditorRequest request, Attachment attachment, CompletableFuture<EditorAnswer> answer) {}

    /** How one request ended, for the port. */
    sealed interface Outcome {
        record Answered(EditorAnswer answer) implements Outcome {}

        /** No attached editor offers the operation, or no event stream would carry the request. */
        record NotOffered() implements Outcome {}

        record Failed(String why) implements Outcome {}

        record Aborted() implements Outcome {}
    }

    private final EventBus bus;
    private final Duration timeout;
    private final Map<SessionId, Attachment> attached = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public EditorAttachments(EventBus bus) {
        this(bus, Duration.ofSeconds(EditorRequest.TIMEOUT_SECONDS));
    }

    public EditorAttachments(EventBus bus, Duration timeout) {
        this.bus = bus;
        this.timeout = timeout;
    }

    /** Attaches an editor to {@code session} (replacing one attached before, whose waiting requests end). */
    public EditorAttachment attach(Session session, EditorAttachRequest request) {
        var a = new Attachment("eda_" + UUID.randomUUID().toString().replace("-", ""), session.id(), session.directory(), request.reads(),
                request.writes());
        Attachment before = attached.put(session.id(), a);
        if (before != null) endWaits(before, "another editor attached to the session");
        return new EditorAttachment(a.session(), a.id(), a.read(), a.write());
    }

    /** Ends {@code session}'s attachment, if any. */
    public void detach(SessionId session) {
        Attachment gone = attached.remove(session);
        if (gone != null) endWaits(gone, "the editor detached");
    }

    /** Ends {@code session}'s attachment if it is still {@code attachmentId}. */
    public void detach(SessionId session, String attachmentId) {
        Attachment current = attached.get(session);
        if (current != null && current.id().equals(attachmentId) && attached.remove(session, current)) endWaits(current, "the editor detached");
    }

    /**
     * Request {@code requestId} while it waits, with its content (a write's text, which its event does not carry).
     *
     * @throws LatheException.NotFound when no such request waits
     */
    public EditorRequest pending(String requestId) {
        Pending p = requestId.startsWith(PREFIX) ? pending.get(requestId) : null;
        if (p == null) throw new LatheException.NotFound("no editor request " + requestId + " is waiting (answered, timed out or never made)");
        return p.request();
    }

    /**
     * Completes request {@code requestId} with {@code answer} (its shape checked where it entered).
     *
     * @throws LatheException.NotFound when no such request waits
     * @throws LatheException.InvalidInput when the answer does not fit the operation
     */
    public void answer(String requestId, EditorAnswer answer) {
        Pending p = requestId.startsWith(PREFIX) ? pending.get(requestId) : null;
        if (p == null) throw new LatheException.NotFound("no editor request " + requestId + " is waiting (answered, timed out or never made)");
        switch (p.request().op()) {
            case READ -> {
                if (answer.ok().isPresent()) throw new LatheException.InvalidInput("request " + requestId + " is a read: answer content or error");
            }
            case WRITE -> {
                if (answer.content().isPresent()) throw new LatheException.InvalidInput("request " + requestId + " is a write: answer ok or error");
            }
        }
        p.answer().complete(answer);
    }

    /** The port for the tool calls of {@code session} in a turn cancelled by {@code cancellation}. */
    public EditorFiles files(Session session, Cancellation cancellation) {
        return new SessionEditorFiles(this, session, cancellation);
    }

    /**
     * Asks the editor of {@code session} (or, for a subagent's session, of its parent) to do {@code op} on {@code path};
     * blocks for at most the timeout. A path outside the attached session's directory (links resolved) is not offered.
     */
    Outcome ask(Session session, EditorRequest.Operation op, String path, Optional<String> content, Cancellation cancellation) {
        Attachment a = attached.get(session.id());
        if (a == null) a = session.parentId().map(attached::get).orElse(null);
        if (a == null || !a.offers(op)) return new Outcome.NotOffered();
        // the editor shows the project's files only, never one elsewhere a tool was allowed to touch
        if (!InsideSession.contains(a.directory(), path)) return new Outcome.NotOffered();
        if (cancellation.isCancelled()) return new Outcome.Aborted();
        long size = content.map(c -> (long) c.getBytes(StandardCharsets.UTF_8).length).orElse(0L);
        var request = new EditorRequest(PREFIX + UUID.randomUUID().toString().replace("-", ""), a.session(), a.id(), op, path, content,
                size, System.currentTimeMillis());
        // the content stays here (GET /editor/{id}): the event is kept in the replay ring and goes to every client of the project
        var event = new Event.EditorRequested(request.withoutContent());
        if (!bus.reaches(Optional.of(a.directory()), event)) return new Outcome.NotOffered();
        var p = new Pending(request, a, new CompletableFuture<>());
        pending.put(request.id(), p);
        try (AutoCloseable _ = cancellation.onCancel(() -> p.answer().completeExceptionally(new CancellationException("aborted")))) {
            bus.publish(Optional.of(a.directory()), event);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException();
                try {
                    return new Outcome.Answered(p.answer().get(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException notYet) {
                    // the stream that carried the request broke (a write to a closed connection drops it): nobody will answer
                    if (!p.answer().isDone() && !bus.reaches(Optional.of(a.directory()), event)) {
                        return new Outcome.Failed("the editor's event stream closed before it answered");
                    }
                }
            }
        } catch (TimeoutException e) {
            // an editor that does not answer is not asked again: the session's files go to disk until it attaches again
            attached.remove(a.session(), a);
            LOG.log(Level.WARNING, "the editor of session {0} did not answer a {1} of {2} within {3} s; detached it",
                    a.session(), op.wire(), path, Long.toString(timeout.toSeconds()));
            return new Outcome.Failed("the editor did not answer within " + timeout.toSeconds() + " s, so Lathe stopped using it for this session");
        } catch (ExecutionException e) {
            if (cancellation.isCancelled()) return new Outcome.Aborted();
            return new Outcome.Failed(e.getCause() == null ? "it failed" : e.getCause().getMessage());
        } catch (CancellationException e) {
            // completed with the CancellationException the turn's abort put there
            return cancellation.isCancelled() ? new Outcome.Aborted() : new Outcome.Failed("the wait was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Aborted();
        } catch (Exception e) {
            return new Outcome.Failed(e.toString());
        } finally {
            pending.remove(request.id());
        }
    }

    private void endWaits(Attachment gone, String why) {
        for (Pending p : pending.values()) {
            if (p.attachment().equals(gone)) p.answer().completeExceptionally(new IllegalStateException(why));
        }
    }
}
