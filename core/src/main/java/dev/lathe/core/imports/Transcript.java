package dev.lathe.core.imports;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * One session of another harness as Lathe stores it: the session (its id derived from the source's, see
 * {@link ImportIds}), its messages with their parts, the sessions its subagents ran (children, whose
 * {@code parentId} is this session), the records skipped (bookkeeping, unknown types) and the problems met
 * ({@code FILE:LINE: what}).
 */
record Transcript(String sourceId, String file, Session session, List<MessageWithParts> messages, List<Transcript> children,
        int skipped, List<String> problems, Optional<String> parentSourceId) {
    Transcript {
        messages = List.copyOf(messages);
        children = List.copyOf(children);
        problems = List.copyOf(problems);
    }
}
