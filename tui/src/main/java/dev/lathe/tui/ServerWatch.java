package dev.lathe.tui;

import java.util.Optional;

/**
 * Notices when the server has gone and brings it back. While connected it probes the server every
 * {@value #PROBE_TICKS} ticks (and at once after a failed request); once a probe fails it is disconnected and asks its
 * {@link ServerLink} to reconnect every {@value #RETRY_MILLIS} ms until that works. Probes and reconnects run off the
 * UI thread (starting a daemon takes seconds) and report back through the UI's queue, so all state changes on the UI
 * thread. At most one probe or reconnect is under way at a time.
 */
final class ServerWatch implements ServerStatus {
    /** Ticks (100 ms each) between two probes of a connected server. */
    static final int PROBE_TICKS = 20;
    static final long RETRY_MILLIS = 2000;

    /** What the watch needs of the UI: its thread for follow-ups, and a word when the server was stopped on purpose. */
    interface Host {
        /** Runs {@code followUp} on the UI thread. */
        void later(Runnable followUp);

        /** Say once that the server was stopped on purpose, and how to go on. */
        void serverStoppedOnPurpose();
    }

    private final Host ui;
    /** Follows the server reached again (it may be another process in its place). */
    private final ServerEvents events;
    private final ServerLink link;
    private Runnable probe;
    private boolean underWay;
    private Optional<Long> lostSince = Optional.empty();
    private long nextAttempt;
    private String reason = "";
    private boolean stoppedOnPurpose;

    ServerWatch(Host ui, ServerEvents events, ServerLink link, Runnable probe) {
        this.ui = ui;
        this.events = events;
        this.link = link;
        this.probe = probe;
    }

    @Override
    public boolean connected() { return lostSince.isEmpty(); }

    @Override
    public Optional<Long> lostSince() { return lostSince; }

    @Override
    public String reason() { return reason; }

    @Override
    public boolean stoppedOnPurpose() { return stoppedOnPurpose; }

    /** The user asked to start the server stopped on purpose: start it and reattach (off the UI thread). */
    void restart() {
        if (underWay || !stoppedOnPurpose) return;
        stoppedOnPurpose = false;
        reason = "starting the server";
        underWay = true;
        Thread.ofPlatform().daemon().name("lathe-tui-restart").start(() -> {
            Runnable followUp;
            try {
                ServerLink.Connection fresh = link.restart();
                followUp = () -> {
                    underWay = false;
                    reconnected(fresh);
                };
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> {
                    underWay = false;
                    failed(why);
                };
            }
            ui.later(followUp);
        });
    }

    /** The UI's clock: probe now and then, and while disconnected, try to reconnect (not after a stop on purpose). */
    void tick(int frame) {
        if (underWay || stoppedOnPurpose) return;
        if (connected() ? frame % PROBE_TICKS == 0 : System.currentTimeMillis() >= nextAttempt) check();
    }

    /** A request failed without an answer from the server: find out now whether it is still there. */
    void suspect() {
        if (!underWay && connected()) check();
    }

    /**
     * The server answered but no longer knows this client's token: another daemon took the place of the one this
     * client was made for (stopped and started again between two probes). Reconnecting finds the new one.
     */
    void refused(String why) {
        if (connected()) failed(why);
    }

    private void check() {
        underWay = true;
        boolean probing = connected();
        Runnable currentProbe = probe;
        Thread.ofPlatform().daemon().name(probing ? "lathe-tui-probe" : "lathe-tui-reconnect").start(() -> {
            Runnable followUp;
            try {
                if (probing) {
                    currentProbe.run();
                    followUp = () -> underWay = false;
                } else {
                    ServerLink.Connection fresh = link.reconnect();
                    followUp = () -> {
                        underWay = false;
                        reconnected(fresh);
                    };
                }
            } catch (ServerLink.StoppedOnPurpose e) {
                followUp = () -> {
                    underWay = false;
                    stopped(e.getMessage());
                };
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> {
                    underWay = false;
                    failed(why);
                };
            }
            ui.later(followUp);
        });
    }

    private void stopped(String why) {
        if (lostSince.isEmpty()) lostSince = Optional.of(System.currentTimeMillis());
        reason = why;
        if (!stoppedOnPurpose) ui.serverStoppedOnPurpose();
        stoppedOnPurpose = true;
    }

    private void failed(String why) {
        reason = why;
        if (lostSince.isEmpty()) {
            lostSince = Optional.of(System.currentTimeMillis());
            nextAttempt = 0;  // the first reconnect at once: the daemon may only have been stopped
            return;
        }
        nextAttempt = System.currentTimeMillis() + RETRY_MILLIS;
    }

    private void reconnected(ServerLink.Connection fresh) {
        try {
            events.switchServer(fresh);
        } catch (RuntimeException e) {
            // it went away again between the start and the subscription: keep trying
            failed(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        probe = fresh.probe();
        stoppedOnPurpose = false;
        lostSince = Optional.empty();
        reason = "";
    }
}
