package dev.lathe.tui;

import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The footer's context figure: the size of the last request — except the request that wrote a compaction's summary,
 * which read the whole old history; after it the footer shows the server's estimate of the next request (the
 * compacted one) until a real request reports its size.
 */
final class ContextFill {
    /** Usage of the last step: what the last request put in the context window. */
    private Usage lastStep = Usage.ZERO;
    private boolean summarising;
    /** After a compaction: the estimated size of the next request, shown instead of the last request's. */
    private Optional<Long> estimated = Optional.empty();
    /** The server's estimate of the next request; throws when it cannot answer. */
    private final LongSupplier estimate;

    ContextFill(LongSupplier estimate) {
        this.estimate = estimate;
    }

    /** Starts over, for another session. */
    void reset() {
        lastStep = Usage.ZERO;
        summarising = false;
        estimated = Optional.empty();
    }

    /** A part of the session, read in order (loaded history or a live update). */
    void part(Part p) {
        switch (p) {
            case Part.Compaction _ -> summarising = true;
            case Part.StepFinish f when summarising -> {
                summarising = false;
                estimated = Optional.of(0L);
            }
            case Part.StepFinish f -> {
                lastStep = f.usage();
                estimated = Optional.empty();
            }
            case Part.Text _, Part.Reasoning _, Part.Tool _, Part.File _, Part.StepStart _, Part.Patch _,
                    Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
        }
    }

    /** After the history or a step: asks the server for its estimate when a compaction made the last size stale. */
    void refresh() {
        if (estimated.isEmpty()) return;
        try {
            estimated = Optional.of(estimate.getAsLong());
        } catch (RuntimeException e) {
            // the footer keeps 0 for now; the next step reports the real size
        }
    }

    Usage lastStep() { return lastStep; }

    /** What the footer shows. */
    long tokens() { return estimated.orElse(Ui.context(lastStep)); }
}
