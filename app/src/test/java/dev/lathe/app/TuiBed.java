package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.TempWorkspace;

/**
 * The terminal-UI ITs' test bed: the fake model, a small git repository holding {@code notes.txt}, and the
 * {@link Lathe} and {@link Tmux} terminal a test opens on them. {@link #close} ends the terminal first (no client left
 * attached to a daemon being stopped), then the daemon, the repository and the fake, each even when one before it failed.
 */
final class TuiBed implements AutoCloseable {
    final FakeLlm llm;
    final TempWorkspace ws;
    /** Set by the test: its home and configuration differ from class to class. */
    Lathe lathe;
    /** Set by the test once it opens the terminal (a test may open none, or a second one after closing the first). */
    Tmux tmux;

    private TuiBed(FakeLlm llm, TempWorkspace ws) {
        this.llm = llm;
        this.ws = ws;
    }

    /** The fake model started and a repository with {@code notes.txt} holding {@code notes}, committed. */
    static TuiBed start(String notes) {
        FakeLlm llm = FakeLlm.start();
        try {
            return new TuiBed(llm, TempWorkspace.create().write("notes.txt", notes).initGitRepo());
        } catch (RuntimeException | Error e) {
            llm.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (tmux != null) tmux.close();
        } finally {
            try {
                if (lathe != null) lathe.stopDaemon();
            } finally {
                try {
                    ws.close();
                } finally {
                    llm.close();
                }
            }
        }
    }
}
