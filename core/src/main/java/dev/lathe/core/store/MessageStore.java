package dev.lathe.core.store;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Messages and their parts. Every method returns after its transaction is committed (but {@link #upsertPartBehind}),
 * so a caller may announce what it wrote as soon as the call returns (DESIGN §4's durability contract). Messages and
 * parts are ordered by id (ids are time-ordered). Snapshot references live here too: the {@code snapshot} hashes of
 * {@code step-start}, {@code step-finish} and {@code patch} parts name the trees in the project's snapshot repository.
 */
public interface MessageStore {
    /** Stores a user message together with its parts in one transaction. */
    void insertUser(UserMessage message, List<Part> parts);

    /**
     * The messages of {@code session} that are copies (it is a fork), each with the first original it copies: a fork of
     * a fork names the same original, so every copy of one answer is known as one.
     */
    Map<MessageId, MessageId> originals(SessionId session);

    /** Stores an answer or replaces the stored one (same id); one without {@code completedAt} is open. */
    void upsertAssistant(AssistantMessage message);

    /**
     * {@link #upsertAssistant} queued behind the writes before it, without waiting for the commit: the future completes
     * when it is committed, or exceptionally with a {@link StoreException}.
     */
    CompletableFuture<Void> upsertAssistantBehind(AssistantMessage message);

    /** Stores a part or replaces the stored one (same id). */
    void upsertPart(Part part);

    /**
     * {@link #upsertPart} queued behind the writes before it, without waiting for the commit: the future completes
     * when it is committed, or exceptionally with a {@link StoreException}.
     */
    CompletableFuture<Void> upsertPartBehind(Part part);

    /** The session's messages with their parts, oldest first. */
    List<MessageWithParts> bySession(SessionId session);

    /**
     * {@link #bySession} with the user messages' parts only, every message kept (the answers without theirs): what is
     * read for the prompts stored while a turn ran, without a long session's tool outputs.
     */
    List<MessageWithParts> withPromptParts(SessionId session);

    /**
     * {@link #bySession} with only the parts that say what each request was: {@code step-start}, {@code step-finish},
     * {@code model-switch} and {@code compaction} (all a cache report reads), every message kept.
     */
    List<MessageWithParts> withStepParts(SessionId session);

    /**
     * The newest {@code limit} messages of {@code session} with an id below {@code upTo} (all when empty), oldest first,
     * with their parts, and whether older ones exist. Reads only the page: a 5,000-part session costs what its last
     * page costs.
     */
    MessagePage page(SessionId session, int limit, Optional<MessageId> upTo);

    /** Whether {@code message} is one of {@code session}'s (hidden by a revert or not). */
    boolean contains(SessionId session, MessageId message);

    /** The session's last finished step (its prompt size is the context it filled). */
    Optional<Part.StepFinish> lastStepFinish(SessionId session);

    /** The session's newest answer, if any. */
    Optional<AssistantMessage> lastAnswer(SessionId session);

    /** Whether the session has any message yet, without reading its history (a prompt asks this on every send). */
    boolean hasMessages(SessionId session);

    /** The message's parts, by id. */
    List<Part> parts(MessageId message);

    /** Tool parts left pending or running (by a process that died). */
    List<Part.Tool> openToolParts();

    /** Assistant messages never completed (by a process that died). */
    List<AssistantMessage> openAssistantMessages();

    /**
     * The sessions holding a text part whose text contains {@code text}, oldest session first: read once at a start (a
     * prompt a stopped server left queued, DESIGN §18 "Steering"), never per turn or step.
     */
    List<SessionId> sessionsWithText(String text);

    /**
     * Closes {@code open}, an answer a crash left open, with {@code error}: its usage and cost are then only in its
     * {@code step-finish} parts (a turn adds them to the message and the session's totals when it ends), so they are
     * summed into the message and added to its session's totals, in one transaction — the steps a crash interrupted
     * stay counted by {@code /stats} and the spend limits. Returns the message as closed.
     */
    AssistantMessage closeInterrupted(AssistantMessage open, long now, MessageError error);

    /** Returns once every write queued before this call (written behind included) is committed or has failed. */
    void awaitQueuedWrites();

    /** Deletes one part (a failed attempt's partial output, DESIGN §7); queued behind the writes before it. */
    void deletePart(PartId part);

    /** Deletes one message with its parts, whatever messages follow it. */
    void deleteMessage(MessageId message);

    /** Deletes {@code from} and every later message of the session, with their parts. */
    void deleteFrom(SessionId session, MessageId from);
}
