package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.term.QuotaMeter;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the running answers cost so far. The server adds an answer's totals to its session when the answer ends, so the
 * footer, which showed the session's totals alone, stayed at $0 through a first turn however many steps it took (issue
 * 42): the footer shows the session's totals plus these until the answer's message is complete and its totals are the
 * session's. A running answer's own usage and cost are those of its responses so far, announced as soon as a response
 * ends (its tools may then run for minutes); its finished steps are counted too, for a server or an engine that
 * announces only those. Each answer counts once: the larger of the two. An answer that ended is counted on until the
 * session's totals include it: the server announces the completion first and the session's new totals right after, and
 * a frame drawn between the two showed the footer without the answer ($0 after a first turn; FooterCostIT).
 */
final class TurnSpend {
    private final Map<MessageId, AssistantMessage> running = new LinkedHashMap<>();
    private final Map<PartId, Part.StepFinish> steps = new LinkedHashMap<>();
    /** Answers already in the session's totals: a late version of one of their steps (its snapshot) is not counted again. */
    private final Set<MessageId> ended = new java.util.HashSet<>();
    /** Answers that ended and that the session's totals do not include yet. */
    private final Map<MessageId, Settling> settling = new LinkedHashMap<>();
    /** The provider's rate-limit windows: the account's, so kept across sessions and reloads. */
    private final QuotaMeter quota = new QuotaMeter(ZoneId.systemDefault());

    /** An ended answer's final figures, and the session's tokens when it ended (its totals include it once past both). */
    private record Settling(long cost, Usage usage, long sessionTokensBefore) {}

    /** A step of an answer finished; returns the quota warnings its response calls for, each once. */
    List<String> step(Part.StepFinish finish) {
        if (!ended.contains(finish.messageId())) steps.put(finish.id(), finish);
        return quota.report(finish.quota());
    }

    /** The tightest rate-limit window for the footer, empty before a provider reported one. */
    Optional<String> quota() { return quota.summary(); }

    /**
     * An answer was written: while it runs its figures are its responses' so far; once completed, the session's, and until
     * the session's totals (at {@code sessionTokens} now) show it, its final figures.
     */
    void answer(AssistantMessage message, long sessionTokens) {
        if (message.completedAt().isPresent()) {
            boolean counted = !ended.contains(message.id()) && answers().contains(message.id());
            if (counted && message.usage().total() > 0) settling.put(message.id(), new Settling(message.cost(), message.usage(), sessionTokens));
            ended(message.id());
        } else if (!ended.contains(message.id())) {
            running.put(message.id(), message);
        }
    }

    /** The session's totals changed: the ended answers they now include are no longer added to them. */
    void settle(long sessionTokens) {
        settling.values().removeIf(s -> sessionTokens >= s.sessionTokensBefore() + s.usage().total());
    }

    /** Answer {@code message} ended: its figures are in the session's totals from now on. */
    void ended(MessageId message) {
        ended.add(message);
        running.remove(message);
        steps.values().removeIf(s -> s.messageId().equals(message));
    }

    /** Forgets every answer (another session, or the state reloaded from the server). */
    void clear() {
        settling.clear();
        ended.clear();
        running.clear();
        steps.clear();
    }

    /** Starts again from the server's stored messages: the answers still running, with their finished steps. */
    void reload(List<MessageWithParts> messages) {
        clear();
        for (MessageWithParts m : messages) {
            if (!(m.info() instanceof AssistantMessage a) || a.completedAt().isPresent()) continue;
            answer(a, 0);
            for (Part p : m.parts()) if (p instanceof Part.StepFinish f) step(f);
        }
    }

    long cost() {
        long sum = 0;
        for (MessageId id : answers()) sum += Math.max(ownCost(id), stepsCost(id));
        for (Settling s : settling.values()) sum += s.cost();
        return sum;
    }

    Usage usage() {
        Usage sum = Usage.ZERO;
        for (MessageId id : answers()) {
            AssistantMessage own = running.get(id);
            sum = sum.plus(own != null && own.cost() >= stepsCost(id) && !own.usage().equals(Usage.ZERO) ? own.usage() : stepsUsage(id));
        }
        for (Settling s : settling.values()) sum = sum.plus(s.usage());
        return sum;
    }

    private Set<MessageId> answers() {
        Set<MessageId> ids = new LinkedHashSet<>(running.keySet());
        for (Part.StepFinish s : steps.values()) ids.add(s.messageId());
        return ids;
    }

    private long ownCost(MessageId id) {
        AssistantMessage own = running.get(id);
        return own == null ? 0 : own.cost();
    }

    private long stepsCost(MessageId id) {
        return steps.values().stream().filter(s -> s.messageId().equals(id)).mapToLong(Part.StepFinish::cost).sum();
    }

    private Usage stepsUsage(MessageId id) {
        Usage sum = Usage.ZERO;
        for (Part.StepFinish s : steps.values()) if (s.messageId().equals(id)) sum = sum.plus(s.usage());
        return sum;
    }
}
