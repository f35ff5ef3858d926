package dev.lathe.core.imports;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * One session of another harness as Lathe stores it: the session (its id derived from the source's, see
 * {@link ImportIds}), its messages with their parts, the sessions its subagents ran (children, whose
 * {@code parentId} is this session) and the records skipped (bookkeeping, unknown types; the problems met go to the
 * caller's list as they are read). {@code exported} counts the first messages that are a Lathe session's own, written by
 * {@code lathe export --to} (the session's id is then that session's, decision 640); 0 for anything else.
 */
record Transcript(String sourceId, String file, Session session, List<MessageWithParts> messages, List<Transcript> children,
        int skipped, Optional<String> parentSourceId, int exported) {
    Transcript {
        messages = List.copyOf(messages);
        children = List.copyOf(children);
    }

    /** Another harness's own session: none of it came from Lathe. */
    Transcript(String sourceId, String file, Session session, List<MessageWithParts> messages, List<Transcript> children,
            int skipped, Optional<String> parentSourceId) {
        this(sourceId, file, session, messages, children, skipped, parentSourceId, 0);
    }

    /** The messages the other harness added: all of them, or those after what Lathe exported. */
    List<MessageWithParts> added() { return messages.subList(Math.min(exported, messages.size()), messages.size()); }
}
