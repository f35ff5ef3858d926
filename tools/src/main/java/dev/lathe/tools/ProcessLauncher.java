package dev.lathe.tools;

import java.io.IOException;

/**
 * The port every process a tool starts goes through ({@code bash}, its background jobs): the place where an OS
 * sandbox will wrap the command line (DESIGN §2 calls this port {@code ProcessRunner}). A launcher may rewrite
 * {@code command.command()} (prefix a wrapper, e.g. {@code bwrap … --}) and its environment before starting it, and
 * must return the started process; the caller still owns its streams and its end. {@link #DIRECT} starts it as
 * given.
 */
@FunctionalInterface
public interface ProcessLauncher {
    Process launch(ProcessBuilder command) throws IOException;

    /** The default of {@link #processLimit}: far above what a build or a test run starts, far below a machine's table. */
    int DEFAULT_PROCESS_LIMIT = 512;

    /**
     * How many processes one command started through this launcher may have at once before Lathe kills all of them
     * (the {@code sandbox.maxProcesses} key); {@link #DEFAULT_PROCESS_LIMIT} unless the launcher was configured.
     */
    default int processLimit() {
        return DEFAULT_PROCESS_LIMIT;
    }

    /** Starts the command as given. */
    ProcessLauncher DIRECT = ProcessBuilder::start;
}
