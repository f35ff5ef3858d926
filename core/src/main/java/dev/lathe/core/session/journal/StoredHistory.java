package dev.lathe.core.session.journal;

import dev.lathe.core.context.ContextView;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import java.util.List;
import java.util.Optional;

/** What a session's stored history says about its last requests, for a turn, its budget and a manual compaction. */
public final class StoredHistory {
    private StoredHistory() {}

    /**
     * Prompt tokens of the session's last request, as its provider counted them; 0 when none is recorded since the
     * latest summary (the summary request itself was sent the history the summary replaced, so its size says nothing
     * about the next request's).
     */
    public static long lastPromptTokens(List<MessageWithParts> history) {
        // requests before it (kept turns included) were sent the history the summary replaced
        for (MessageWithParts m : history.subList(ContextView.of(history).tailStart(), history.size()).reversed()) {
            for (Part p : m.parts().reversed()) {
                if (p instanceof Part.StepFinish f && !f.reason().equals(StopReason.ERROR.wire())) return f.usage().input() + f.usage().cacheRead() + f.usage().cacheWrite();
            }
        }
        return 0;
    }

    /** The model that answered last before this message, counting failovers inside it. */
    public static Optional<String> previousModel(List<MessageWithParts> history, MessageId current) {
        for (MessageWithParts m : history.reversed()) {
            if (!(m.info() instanceof AssistantMessage a) || a.id().equals(current)) continue;
            String last = a.model();
            for (Part p : m.parts()) if (p instanceof Part.ModelSwitch s) last = s.to();
            return Optional.of(last);
        }
        return Optional.empty();
    }
}
