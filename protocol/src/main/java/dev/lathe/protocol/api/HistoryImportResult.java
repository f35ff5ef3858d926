package dev.lathe.protocol.api;

import java.util.List;
import java.util.Optional;

/**
 * What {@code POST /import/history} found and did: one entry per session of the other harness that matched (a
 * subagent's session comes right after its parent's), and the problems met on the way (a line that does not parse, a
 * file cut short: {@code FILE:LINE: what}), none of them fatal.
 */
public record HistoryImportResult(List<Entry> sessions, List<String> problems) {
    public HistoryImportResult {
        sessions = List.copyOf(sessions);
        problems = List.copyOf(problems);
    }

    /**
     * One session. {@code sourceId} is the other harness's id, {@code file} where it was read; {@code sessionId} the
     * Lathe session it is (when only listed, present if it was imported before: the web UI offers the others); {@code outcome} {@code found} (listed only), {@code imported}
     * (new), {@code updated} (imported before, now with more messages) or {@code unchanged}; {@code skipped} counts the
     * source's records Lathe has no use for (bookkeeping, unknown types). {@code parentSourceId}: the session that ran
     * this one as a subagent.
     */
    public record Entry(String sourceId, String file, String directory, String title, long createdAt, long updatedAt, int messages,
            Optional<String> sessionId, String outcome, int skipped, Optional<String> parentSourceId) {
        public Entry {
            sessionId = sessionId == null ? Optional.empty() : sessionId;
            parentSourceId = parentSourceId == null ? Optional.empty() : parentSourceId;
        }
    }
}
