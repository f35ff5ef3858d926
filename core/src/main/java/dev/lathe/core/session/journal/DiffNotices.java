package dev.lathe.core.session.journal;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code diff.updated} notices (decision 592): a file edit, a step's recorded changes (its patch part), or a bash
 * call that printed or ended may change a session's diff, so the clients showing it are told to ask again, at most once per
 * {@link #DELAY_MILLIS} per session: the first change opens the window, the notice goes out at its end, and the changes
 * within it ride on that one. A turn that writes twenty files in a second sends a handful, never twenty.
 */
final class DiffNotices {
    static final long DELAY_MILLIS = 300;

    /** Where a notice goes: the session's folder's events. */
    @FunctionalInterface
    interface Publisher {
        void publish(String directory, Event event);
    }

    private final Publisher publisher;
    private final Map<SessionId, Boolean> pending = new ConcurrentHashMap<>();

    DiffNotices(Publisher publisher) {
        this.publisher = publisher;
    }

    /** Schedules a notice when {@code event} may have changed its session's diff. */
    void seen(String directory, Event event) {
        switch (event) {
            case Event.FileEdited e -> changed(directory, e.sessionId());
            case Event.PartUpdated e when e.part() instanceof Part.Patch patch -> changed(directory, patch.sessionId());
            // a command's output as it runs (at most every 250 ms) and its end: it may be writing files meanwhile
            case Event.PartUpdated e when e.part() instanceof Part.Tool tool && tool.tool().equals("bash") && !(tool.state() instanceof ToolState.Pending) -> changed(directory, tool.sessionId());
            default -> { }
        }
    }

    private void changed(String directory, SessionId session) {
        if (pending.putIfAbsent(session, Boolean.TRUE) != null) return;
        Thread.ofVirtual().name("diff-notice").start(() -> {
            try {
                Thread.sleep(DELAY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // removed before publishing: a change while the notice goes out opens the next window
                pending.remove(session);
                publisher.publish(directory, new Event.DiffUpdated(session));
            }
        });
    }
}
