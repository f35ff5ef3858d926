package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import java.util.List;

/** One element of {@code GET /sessions/{id}/messages}; parts of a kind this reader does not know are left out. */
public record MessageWithParts(Message info, List<Part> parts) {
    public MessageWithParts {
        parts = parts == null ? List.of() : parts.stream().filter(java.util.Objects::nonNull).toList();
    }
}
