package dev.lathe.run.console;

import dev.lathe.protocol.session.Session;
import java.util.Optional;

/** What {@code lathe run} runs: one prompt ({@link HeadlessRun}) or a goal loop of prompts and checks ({@link GoalLoop}). */
public sealed interface ConsoleRun permits HeadlessRun, GoalLoop {
    /** Runs to the end and returns the exit code of {@code lathe run} ({@link ExitCode}). */
    int run() throws InterruptedException;

    /** Ctrl-C: aborts what runs now; answers whether there was something to abort. */
    boolean interrupt();

    /** The session the run made or continued; empty when it stopped before one existed. */
    Optional<Session> started();
}
