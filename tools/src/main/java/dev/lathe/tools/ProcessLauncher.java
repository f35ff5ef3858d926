package dev.lathe.tools;

import java.io.IOException;
import java.util.Optional;

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

    /**
     * Starts a program of Lathe's own whose output the caller passes through the {@code read} rules itself (ripgrep for
     * the search tools: each file it names is checked before anything of it is shown), so a sandbox need not hide the
     * files those rules deny from it, nor walk the project to find them (issue 53: a project of a million files could
     * not be searched at all). Everything else a sandbox does still holds. By default the same as {@link #launch}.
     */
    default Process launchFilteredByCaller(ProcessBuilder command) throws IOException {
        return launch(command);
    }

    /** The default of {@link #processLimit}: far above what a build or a test run starts, far below a machine's table. */
    int DEFAULT_PROCESS_LIMIT = 512;

    /**
     * How many processes one command started through this launcher may have at once before Lathe kills all of them
     * (the {@code sandbox.maxProcesses} key); {@link #DEFAULT_PROCESS_LIMIT} unless the launcher was configured.
     */
    default int processLimit() {
        return DEFAULT_PROCESS_LIMIT;
    }

    /**
     * The launcher a call {@code call} runs its processes through, given the core's launcher seam {@code next}: the
     * tool-call pipeline asks this of the launcher a session put on the call's context. A launcher that only starts
     * processes gives way to {@code next}; one that rewrites commands (an OS sandbox, {@link WrappingLauncher}) hands
     * them to it. Asked of the port itself, never found by type, so a launcher that decorates another passes this on
     * (issue 41: a decorated port hidden from an {@code instanceof} silently lost what it decorated).
     */
    default ProcessLauncher forCallOver(ToolContext call, ProcessLauncher next) {
        return next;
    }

    /** A note about how the current call's commands ran, for its result, given once; empty when there is none. */
    default Optional<String> takeNotice() {
        return Optional.empty();
    }

    /** Starts the command as given. */
    ProcessLauncher DIRECT = ProcessBuilder::start;
}
