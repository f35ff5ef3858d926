package dev.lathe.tui.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.view.Footer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one turn of {@code lathe run} came to, read from the session's history once the turn is over: the turn is
 * every assistant message after the last user message (a turn that compacted has several), its answer the text of its
 * last step. Gives the {@code result} line of {@code --format json} ({@link RunResult}) and the one-line summary text
 * mode prints on stderr.
 */
final class RunSummary {
    private RunSummary() {}

    /** The result of the turn that ends {@code history}; {@code error} is the turn's error, if it failed. */
    static RunResult of(SessionId session, List<MessageWithParts> history, Optional<MessageError> error, int exitCode, long durationMs) {
        int start = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).info() instanceof UserMessage) {
                start = i + 1;
                break;
            }
        }
        int steps = 0;
        // a failed attempt that was retried is not a step of its own: only the turn's last step counts when it failed
        boolean lastFailed = false;
        Usage tokens = Usage.ZERO;
        long cost = 0;
        Optional<String> finish = Optional.empty();
        StringBuilder lastStepText = new StringBuilder();
        for (MessageWithParts m : history.subList(start, history.size())) {
            if (!(m.info() instanceof AssistantMessage a)) continue;
            tokens = tokens.plus(a.usage());
            cost += a.cost();
            finish = a.finish();
            for (Part p : m.parts()) {
                switch (p) {
                    case Part.StepStart _ -> lastStepText.setLength(0);
                    case Part.StepFinish f -> {
                        lastFailed = f.reason().equals("error");
                        if (!lastFailed) steps++;
                    }
                    case Part.Text t when !t.synthetic() -> lastStepText.append(t.text());
                    default -> { }
                }
            }
        }
        if (lastFailed) steps++;
        Optional<String> ended = finish.filter(f -> !f.equals("error"));
        String reason = error.map(MessageError::kind).or(() -> ended).orElse("stop");
        return new RunResult(session, lastStepText.toString().strip(), steps, tokens, cost, reason, error, exitCode, durationMs);
    }

    /**
     * The line text mode ends with on stderr, e.g. {@code lathe: 4 steps, 12,345 tokens, $0.0123, 2.4 s, session ses_...}
     * (ASCII only: a script's stderr may not be UTF-8); the session is the one {@code --session} continues.
     */
    static String line(RunResult result) {
        String steps = result.steps() == 1 ? "1 step" : result.steps() + " steps";
        String tokens = String.format(Locale.ROOT, "%,d tokens", result.tokens().total());
        String cost = Footer.dollars(result.cost());
        String time = String.format(Locale.ROOT, "%.1f s", result.durationMs() / 1000.0);
        return "lathe: " + steps + ", " + tokens + ", " + cost + ", " + time + ", session " + result.sessionId().value();
    }
}
