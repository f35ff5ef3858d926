package dev.lathe.tui.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.tui.view.Footer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one turn of {@code lathe run} came to ({@link TurnTally}): the {@code result} line of {@code --format json}
 * ({@link RunResult}) and the one-line summary text mode prints on stderr.
 */
final class RunSummary {
    private RunSummary() {}

    /** The result of the turn that ends {@code history}; {@code error} is the turn's error, if it failed. */
    static RunResult of(SessionId session, List<MessageWithParts> history, Optional<MessageError> error, int exitCode, long durationMs) {
        return TurnTally.of(history).result(session, error, exitCode, durationMs);
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
