package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * What a rewind did: {@code files} put back as they were before the message (relative to the project), {@code kept}
 * the files changed outside the agent that were left as they are ({@code "confirm": false}), {@code rewound} the
 * messages now listed as rewound (empty when only code was restored), and {@code summary} the assistant message holding
 * the summary that took their place ({@code "restore": "summarise"}; empty otherwise).
 */
public record RewindResult(Session session, List<String> files, List<String> kept, List<MessageId> rewound, Optional<MessageId> summary) {
    public RewindResult {
        files = List.copyOf(files);
        kept = List.copyOf(kept);
        rewound = List.copyOf(rewound);
        summary = summary == null ? Optional.empty() : summary;
    }

    public RewindResult(Session session, List<String> files, List<String> kept, List<MessageId> rewound) {
        this(session, files, kept, rewound, Optional.empty());
    }
}
