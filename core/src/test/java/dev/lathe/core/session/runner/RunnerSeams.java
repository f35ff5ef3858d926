package dev.lathe.core.session.runner;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;

/** What the session tests (in core.session, above this room) call of a runner's package-private members. */
public final class RunnerSeams {
    private RunnerSeams() {}

    public static Optional<UserMessage> unanswered(List<MessageWithParts> history) { return SessionRunner.unanswered(history); }

    public static void wake(SessionRunner runner) { runner.wake(); }

    public static void abort(SessionRunner runner) { runner.abort(); }
}
