package dev.lathe.core.ask;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.SessionStatus;

/**
 * How an ask tells clients about itself: its {@code permission.asked}/{@code question.asked} events and the session's
 * {@code waiting}/{@code busy} status. Bound to the asking session (the session journal's view of it), which knows
 * where to publish, so an ask never names a directory; called on the asking tool call's virtual thread.
 */
public interface AskNotices {
    void publish(Event event);

    void status(SessionStatus status);
}
