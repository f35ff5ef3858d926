package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Session;
import java.util.List;

/**
 * What a rewind did: {@code files} put back as they were before the message (relative to the project), {@code kept}
 * the files changed outside the agent that were left as they are ({@code "confirm": false}), and {@code rewound} the
 * messages now listed as rewound (empty when only code was restored).
 */
public record RewindResult(Session session, List<String> files, List<String> kept, List<MessageId> rewound) {
    public RewindResult {
        files = List.copyOf(files);
        kept = List.copyOf(kept);
        rewound = List.copyOf(rewound);
    }
}
