package dev.lathe.run.console;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.term.QuotaMeter;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * What one turn of {@code lathe run} comes to, kept as running totals while its events arrive: the turn's assistant
 * messages (their usage, cost and finish, never their parts), whether each step finished or failed, and the text of the
 * current step only. The client thus stays the same size however long the session grows (issue 55); a turn's history
 * fed message by message ({@link #of}, {@link #add}) gives the same totals, for a run whose events were lost.
 *
 * <p>The turn is what follows the last user message (a turn that compacted has several assistant messages); its answer
 * is the text of its last step.
 */
final class TurnTally {
    private final SequencedMap<MessageId, AssistantMessage> answers = new LinkedHashMap<>();
    /** Each finished step and whether it failed, in order (a part updated again keeps its place). */
    private final SequencedMap<PartId, Boolean> stepFailed = new LinkedHashMap<>();
    /** The text parts of the current step: a new step's start clears them. */
    private final Map<PartId, StringBuilder> stepTexts = new LinkedHashMap<>();
    private PartId currentStep;
    /** The rate-limit windows each finished step reported, in order. */
    private final SequencedMap<PartId, List<Quota>> quota = new LinkedHashMap<>();
    /**
     * Made by the first step that reports a window: the zone is read then (the JDK reads its whole time-zone database),
     * not on the way to the run's first request (issue 70).
     */
    private QuotaMeter meter;

    /** The totals of the turn that ends {@code history} (every message of a session, or its last ones). */
    static TurnTally of(List<MessageWithParts> history) {
        TurnTally tally = new TurnTally();
        history.forEach(tally::add);
        return tally;
    }

    /** A stored message with its parts, the next in a history read oldest first. */
    void add(MessageWithParts stored) {
        message(stored.info());
        stored.parts().forEach(this::part);
    }

    /** A message stored or updated: a user message starts the turn over; an assistant message's latest totals are kept. */
    synchronized void message(Message info) {
        switch (info) {
            case UserMessage _ -> {
                answers.clear();
                stepFailed.clear();
                quota.clear();
                stepTexts.clear();
                currentStep = null;
            }
            case AssistantMessage a -> answers.put(a.id(), a);
        }
    }

    /** A part stored or updated; returns the quota warnings a step's finish calls for (each window once per run). */
    synchronized List<String> part(Part part) {
        switch (part) {
            case Part.StepStart s when !s.id().equals(currentStep) -> {
                currentStep = s.id();
                stepTexts.clear();
            }
            case Part.StepFinish f -> {
                stepFailed.put(f.id(), f.reason().equals("error"));
                if (f.quota().isEmpty()) return List.of();
                quota.put(f.id(), f.quota());
                if (meter == null) meter = new QuotaMeter(ZoneId.systemDefault());
                return meter.report(f.quota());
            }
            case Part.Text t when !t.synthetic() -> stepTexts.put(t.id(), new StringBuilder(t.text()));
            case Part.Text _, Part.Reasoning _, Part.Tool _, Part.File _, Part.StepStart _, Part.Patch _,
                    Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
        }
        return List.of();
    }

    /** Streamed text added to a part the tally follows. */
    synchronized void delta(PartId part, String delta) {
        StringBuilder text = stepTexts.get(part);
        if (text != null) text.append(delta);
    }

    /** A part taken back (a failed attempt's text, sent again). */
    synchronized void removed(PartId part) {
        stepTexts.remove(part);
        stepFailed.remove(part);
    }

    /** The turn's last assistant message, if it has one. */
    synchronized Optional<AssistantMessage> lastAnswer() {
        return answers.isEmpty() ? Optional.empty() : Optional.of(answers.sequencedValues().getLast());
    }

    /** The result of the turn; {@code error} is the turn's error, if it failed. */
    synchronized RunResult result(SessionId session, Optional<MessageError> error, int exitCode, long durationMs) {
        Usage tokens = Usage.ZERO;
        long cost = 0;
        Optional<String> finish = Optional.empty();
        for (AssistantMessage a : answers.values()) {
            tokens = tokens.plus(a.usage());
            cost += a.cost();
            finish = a.finish();
        }
        // a failed attempt that was retried is not a step of its own: only the turn's last step counts when it failed
        int steps = (int) stepFailed.values().stream().filter(failed -> !failed).count();
        if (!stepFailed.isEmpty() && stepFailed.sequencedValues().getLast()) steps++;
        StringBuilder text = new StringBuilder();
        stepTexts.values().forEach(text::append);
        Optional<String> ended = finish.filter(f -> !f.equals("error"));
        String reason = error.map(MessageError::kind).or(() -> ended).orElse("stop");
        return new RunResult(session, text.toString().strip(), steps, tokens, cost, reason, error, exitCode, durationMs, tokens.hitRatio(),
                Quota.latestPerName(quota.values()));
    }
}
