package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;

/**
 * A session a {@code lathe run} made for a prompt the server refused (the managed policy, a model it cannot use) holds
 * nothing: it is deleted rather than left on the board (issue 82). A continued session is the user's and is never
 * passed here.
 */
final class EmptySession {
    private EmptySession() {}

    /** Deletes {@code id} when it still holds no message; a failure leaves it (it is only clutter). */
    static void forget(LatheApi api, SessionId id) {
        try {
            if (api.messages(id).isEmpty()) api.deleteSession(id);
        } catch (LatheException e) {
            // the board keeps an empty session: nothing is lost
        }
    }
}
