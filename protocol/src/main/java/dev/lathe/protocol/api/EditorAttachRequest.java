package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code PUT /sessions/{id}/editor}: the file operations an editor attached to the session takes over (DESIGN
 * §18, {@code lathe acp}; ACP's {@code clientCapabilities.fs.readTextFile} and {@code writeTextFile}). An absent field is
 * {@code false}; at least one must be {@code true}.
 */
public record EditorAttachRequest(Optional<Boolean> read, Optional<Boolean> write) {
    public static EditorAttachRequest of(boolean read, boolean write) { return new EditorAttachRequest(Optional.of(read), Optional.of(write)); }

    public boolean reads() { return read != null && read.orElse(false); }

    public boolean writes() { return write != null && write.orElse(false); }
}
