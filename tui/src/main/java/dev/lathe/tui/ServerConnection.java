package dev.lathe.tui;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.session.Session;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * The server this UI talks to now and the event streams it follows there: the folder's, and the attached session's
 * when that session is of another folder. Replaced whole when the server went away and another answers in its place.
 * Owned by the UI's loop; the streams' events arrive as signals on its queue.
 */
final class ServerConnection {
    private final String directory;
    private final BlockingQueue<Signal> signals;
    private LatheApi api;
    private String label;
    private AutoCloseable folderEvents = () -> { };
    /** The attached session's events when it is in another folder than this UI's ({@link #follow}). */
    private AutoCloseable sessionEvents = () -> { };

    ServerConnection(ServerLink.Connection first, String directory, BlockingQueue<Signal> signals) {
        this.api = first.api();
        this.label = first.label();
        this.directory = directory;
        this.signals = signals;
    }

    /** The client of the server now: replaced when the server went away and was reached again. */
    LatheApi api() { return api; }

    /** Where the server is, as the user would name it. */
    String label() { return label; }

    /** Subscribes to the events of the whole folder: subagents of the attached session ask permissions too. */
    void subscribe() { folderEvents = subscribe(api); }

    private AutoCloseable subscribe(LatheApi to) {
        return to.subscribe(new EventFilter(Optional.of(directory), Optional.empty()), 0, e -> signals.add(new Signal.Server(e)));
    }

    /**
     * Follows the events of {@code s} too when it is a session of another folder (a worktree's session resumed from its
     * repository, its worktree gone meanwhile): they are published for its own folder, which the folder's stream misses.
     */
    void follow(Session s) {
        closeQuietly(sessionEvents);
        sessionEvents = s.directory().equals(directory) ? () -> { }
                : api.subscribe(new EventFilter(Optional.of(s.directory()), Optional.of(s.id())), 0,
                        e -> signals.add(new Signal.Server(e)));
    }

    /**
     * Talks to {@code fresh} from now on, following its folder's events; the old client is closed.
     *
     * @throws RuntimeException when the new server cannot be subscribed to (then nothing changed)
     */
    void switchTo(ServerLink.Connection fresh) {
        AutoCloseable events = subscribe(fresh.api());
        closeQuietly(folderEvents);
        closeQuietly(api);
        api = fresh.api();
        label = fresh.label();
        folderEvents = events;
    }

    /** Ends the subscriptions and the client. */
    void close() {
        closeQuietly(sessionEvents);
        closeQuietly(folderEvents);
        closeQuietly(api);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // it is being replaced or the UI ends: nothing to do about a failed close
        }
    }
}
