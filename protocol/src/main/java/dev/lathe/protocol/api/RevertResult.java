package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Session;
import java.util.List;

/** The session after a revert, unrevert, undo or redo, and the files that were put back (relative to the project). */
public record RevertResult(Session session, List<String> files) {
    public RevertResult {
        files = List.copyOf(files);
    }
}
