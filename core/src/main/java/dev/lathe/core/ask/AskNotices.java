package dev.lathe.core.ask;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;

/**
 * How an ask tells clients about itself: its {@code permission.asked}/{@code question.asked} events and the session's
 * {@code waiting}/{@code busy} status. Implemented by the session journal, which publishes through the project's bus;
 * called on the asking tool call's virtual thread.
 */
public interface AskNotices {
    void publish(String directory, Event event);

    void status(String directory, Session session, SessionStatus status);
}
