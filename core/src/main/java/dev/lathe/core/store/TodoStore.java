package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Todo;
import java.util.List;

/** Todo lists: one whole list per session, replaced on every write. */
public interface TodoStore {
    /** Replaces the session's whole list ({@code todos} empty leaves an empty list). */
    void replace(SessionId session, List<Todo> todos);

    /** The session's list in the order written; empty when none was written. */
    List<Todo> find(SessionId session);
}
