package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import java.util.List;

/** One element of {@code GET /sessions/{id}/messages}; parts of a kind this reader does not know are left out. */
public record MessageWithParts(Message info, List<Part> parts) {
    public MessageWithParts {
        parts = parts == null ? List.of() : withoutNulls(parts);
    }

    /**
     * {@code parts} unmodifiable and without nulls; a list that is both already (a running turn's history hands out
     * such lists at every step, of hundreds of parts) is taken as it is rather than copied again.
     */
    private static List<Part> withoutNulls(List<Part> parts) {
        for (Part p : parts) {
            if (p == null) return parts.stream().filter(java.util.Objects::nonNull).toList();
        }
        return List.copyOf(parts);
    }
}
