package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.TempWorkspace;
import java.util.Optional;

/**
 * The terminal-UI ITs' test bed: the fake model, a small git repository holding {@code notes.txt}, and the
 * {@link Lathe} and {@link Tmux} terminal a test opens on them. {@link #close} ends the terminal first (no client left
 * attached to a daemon being stopped), then the daemon, the repository and the fake, each even when one before it failed.
 * A class may share its fake model and daemons among its tests ({@link #sharing}, {@link #useSharedDaemon}): then
 * close stops only this bed's turns, and the class stops the rest.
 */
final class TuiBed implements AutoCloseable {
    final FakeLlm llm;
    final TempWorkspace ws;
    /** Set by the test: its home and configuration differ from class to class. */
    Lathe lathe;
    /** Set by the test once it opens the terminal (a test may open none, or a second one after closing the first). */
    Tmux tmux;
    /** Whether {@link #close} ends the fake model: not when the class shares it. */
    private final Ownership llmOwner;
    /** Whether {@link #close} stops {@link #lathe}'s daemon: not when the class shares it. */
    private Ownership daemonOwner = Ownership.BED;

    /** Who ends a process the bed uses. */
    private enum Ownership { BED, CLASS }

    private TuiBed(FakeLlm llm, TempWorkspace ws, Ownership llmOwner) {
        this.llm = llm;
        this.ws = ws;
        this.llmOwner = llmOwner;
    }

    /** The fake model started and a repository with {@code notes.txt} holding {@code notes}, committed. */
    static TuiBed start(String notes) {
        FakeLlm llm = FakeLlm.start();
        try {
            return new TuiBed(llm, repository(notes), Ownership.BED);
        } catch (RuntimeException | Error e) {
            llm.close();
            throw e;
        }
    }

    /** A bed on {@code llm}, which its class started and stops: reset here (nothing scripted, nothing recorded). */
    static TuiBed sharing(FakeLlm llm, String notes) {
        return new TuiBed(llm.reset(), repository(notes), Ownership.CLASS);
    }

    /**
     * The test's lathe is {@code shared}, whose daemon its class stops: {@link #close} leaves it running and stops
     * this bed's turns instead (an ask left open, a turn still streaming), so none reaches the next test's fake.
     */
    TuiBed useSharedDaemon(Lathe shared) {
        lathe = shared;
        daemonOwner = Ownership.CLASS;
        return this;
    }

    private static TempWorkspace repository(String notes) {
        return TempWorkspace.create().write("notes.txt", notes).initGitRepo();
    }

    @Override
    public void close() {
        try {
            if (tmux != null) tmux.close();
        } finally {
            try {
                if (lathe != null && daemonOwner == Ownership.BED) lathe.stopDaemon();
                if (lathe != null && daemonOwner == Ownership.CLASS) stopTurns();
            } finally {
                try {
                    ws.close();
                } finally {
                    if (llmOwner == Ownership.BED) llm.close();
                }
            }
        }
    }

    /** Aborts every session of this bed's folder that is not idle, on the shared daemon. */
    private void stopTurns() {
        String dir = ws.path().toString();
        var server = lathe.server();
        if (server.isEmpty()) return;
        try (var api = HttpLatheClient.connect(server.get(), Optional.of(dir))) {
            for (Session s : api.sessions(dir)) {
                if (!(api.status(s.id()) instanceof SessionStatus.Idle)) api.abort(s.id());
            }
        }
    }
}
