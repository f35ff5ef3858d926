package dev.lathe.protocol.api;

import dev.lathe.protocol.event.EditorRequest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Body of {@code PUT /sessions/{id}/editor}: the file operations an editor attached to the session takes over (DESIGN
 * §18, {@code lathe acp}; ACP's {@code clientCapabilities.fs.readTextFile} and {@code writeTextFile}). An absent field is
 * {@code false}; at least one must be {@code true}.
 */
public record EditorAttachRequest(Optional<Boolean> read, Optional<Boolean> write) {
    /** An editor that takes over the operations in {@code operations} (none: the request is refused as invalid). */
    public static EditorAttachRequest offering(Set<EditorRequest.Operation> operations) {
        return new EditorAttachRequest(Optional.of(operations.contains(EditorRequest.Operation.READ)),
                Optional.of(operations.contains(EditorRequest.Operation.WRITE)));
    }

    /** An editor that reads and writes the session's files. */
    public static EditorAttachRequest readingAndWriting() { return offering(EnumSet.allOf(EditorRequest.Operation.class)); }

    public boolean reads() { return read != null && read.orElse(false); }

    public boolean writes() { return write != null && write.orElse(false); }
}
