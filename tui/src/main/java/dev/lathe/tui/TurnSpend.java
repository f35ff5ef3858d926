package dev.lathe.tui;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the running answer's finished steps cost so far. The server adds an answer's totals to its session when the
 * answer ends, so the footer, which showed the session's totals alone, stayed at $0 through a first turn however many
 * steps it took (issue 42): the footer shows the session's totals plus these, each step counted once (by its part id),
 * until the answer's message is complete and its totals are the session's.
 */
final class TurnSpend {
    private final Map<PartId, Part.StepFinish> steps = new LinkedHashMap<>();

    /** A step of an answer finished. */
    void step(Part.StepFinish finish) { steps.put(finish.id(), finish); }

    /** Answer {@code message} ended: its steps are in the session's totals from now on. */
    void ended(MessageId message) { steps.values().removeIf(s -> s.messageId().equals(message)); }

    /** Forgets every step (another session, or the state reloaded from the server). */
    void clear() { steps.clear(); }

    long cost() { return steps.values().stream().mapToLong(Part.StepFinish::cost).sum(); }

    Usage usage() {
        Usage sum = Usage.ZERO;
        for (Part.StepFinish s : steps.values()) sum = sum.plus(s.usage());
        return sum;
    }
}
