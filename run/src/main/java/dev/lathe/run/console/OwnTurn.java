package dev.lathe.run.console;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.UserMessage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of the session's message events are the turn a {@code lathe run} started (issue 71, minor 15). A prompt sent to
 * a busy session ({@code --deliver interrupt}, or queued behind the running turn) first sees the end of the turn that
 * ran: its stopped tool call, its last text. Those are another run's, and printing them (or summing them) here made
 * them read as this run's own. So are the events of a prompt someone queued behind this run's turn, which starts
 * without the session going idle in between.
 *
 * <p>Message ids are time-ordered: a message older than the run's prompt is another turn's, and so is an answer to an
 * older prompt. The run's prompt id is known once the server accepted it; its events may come first, so until then the
 * first prompt stored is taken for it. A prompt queued behind this run's turn is seen by its mark ({@link
 * PromptQueued}); when the mark is taken away its turn starts, and this run's turn is over ({@link #nextTurnStarted}).
 * A steered prompt joins the running turn, which is then the run's own: nothing before it is left out.
 */
final class OwnTurn {
    private final boolean joinsRunningTurn;
    private volatile Optional<MessageId> from = Optional.empty();
    /** Answers to prompts older than the run's (created after it, behind an older queued prompt). */
    private final Set<MessageId> othersAnswers = ConcurrentHashMap.newKeySet();
    /** The prompts stored after the run's own. */
    private final Set<MessageId> othersPrompts = ConcurrentHashMap.newKeySet();
    /** The queued marks of prompts newer than the run's, by part, with their prompt. */
    private final Map<PartId, MessageId> queuedBehind = new ConcurrentHashMap<>();
    private volatile boolean over;

    /** @param joinsRunningTurn the prompt is steered into the running turn, or is a command: every turn event counts */
    OwnTurn(boolean joinsRunningTurn) {
        this.joinsRunningTurn = joinsRunningTurn;
    }

    /** The server accepted the run's prompt as {@code id}. */
    void prompted(MessageId id) {
        from = Optional.of(id);
        othersPrompts.remove(id);
    }

    /** Whether {@code event}, one of the session's own, belongs to the run's turn; a session-wide event always does. */
    boolean ours(Event event) {
        Optional<MessageId> message = messageOf(event);
        if (message.isEmpty()) return true;
        if (over) return false;
        if (event instanceof Event.MessageUpdated m && m.info() instanceof UserMessage) {
            if (from.isEmpty()) from = Optional.of(message.get());
            if (!message.equals(from)) othersPrompts.add(message.get());
        }
        if (event instanceof Event.PartUpdated p && p.part() instanceof Part.Text t && t.synthetic() && t.text().equals(PromptQueued.TEXT)
                && from.filter(f -> t.messageId().compareTo(f) > 0).isPresent()) {
            queuedBehind.put(t.id(), t.messageId());
            return false;
        }
        if (joinsRunningTurn) return true;
        if (from.isEmpty() || message.get().compareTo(from.get()) < 0) return false;
        if (event instanceof Event.MessageUpdated m && m.info() instanceof AssistantMessage a && a.parentId().compareTo(from.get()) < 0) {
            othersAnswers.add(a.id());
        }
        return !othersAnswers.contains(message.get());
    }

    /**
     * Whether {@code event} is a prompt other than the run's, or its text: a steered message, a child's result, a prompt
     * queued behind the turn, a compaction's. It is no part of the run's answer, nor does it start the run's totals
     * over; its other parts (a compaction's mark, a hook's line) are the turn's.
     */
    boolean othersPrompt(Event event) {
        boolean prompt = event instanceof Event.MessageUpdated m && m.info() instanceof UserMessage
                || event instanceof Event.PartUpdated p && p.part() instanceof Part.Text;
        return prompt && messageOf(event).filter(othersPrompts::contains).isPresent();
    }

    /**
     * Whether {@code event} starts the turn of a prompt queued behind the run's: its mark taken away as the session takes
     * it up. The run's turn ended there (no idle comes between), and nothing after it is the run's.
     */
    boolean nextTurnStarted(Event event) {
        if (!(event instanceof Event.PartRemoved r) || queuedBehind.remove(r.partId()) == null) return false;
        over = true;
        return true;
    }

    /** Whether {@code event} is an answer that ended aborted: of a turn not the run's, the turn its interrupt stopped. */
    static boolean aborted(Event event) {
        return event instanceof Event.MessageUpdated m && m.info() instanceof AssistantMessage a
                && a.error().filter(e -> e.kind().equals("aborted")).isPresent();
    }

    /** The run's turn is over: later events are another turn's. */
    void end() {
        over = true;
    }

    private static Optional<MessageId> messageOf(Event event) {
        return switch (event) {
            case Event.MessageUpdated m -> Optional.of(m.info().id());
            case Event.PartUpdated p -> Optional.of(p.part().messageId());
            case Event.PartDelta d -> Optional.of(d.messageId());
            case Event.PartRemoved r -> Optional.of(r.messageId());
            default -> Optional.empty();
        };
    }
}
