package dev.lathe.tools;

import java.util.Optional;

/**
 * A launcher that rewrites each command (an OS sandbox prefixing {@code bwrap … --}) and hands it to another launcher
 * to start: the tool-call pipeline puts it {@link #over} the core's launcher seam, so both apply. It may have a note
 * for the user about how commands run (e.g. unsandboxed), given once through {@link #takeNotice}.
 */
public interface WrappingLauncher extends ProcessLauncher {
    /** This launcher handing its rewritten commands to {@code next}. */
    WrappingLauncher over(ProcessLauncher next);

    /**
     * This launcher for the one call {@code call} (what it reports about a command, a refusal, names that call and
     * leaves out its secrets); by default itself.
     */
    default WrappingLauncher forCall(ToolContext call) {
        return this;
    }

    /** This launcher for {@code call}, handing its rewritten commands to {@code next}. */
    @Override
    default ProcessLauncher forCallOver(ToolContext call, ProcessLauncher next) {
        return forCall(call).over(next);
    }

    /** A note not yet shown, for the current call's result; empty when there is none (each note is given once). */
    @Override
    Optional<String> takeNotice();
}
