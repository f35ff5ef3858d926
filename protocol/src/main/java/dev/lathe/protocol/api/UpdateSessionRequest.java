package dev.lathe.protocol.api;

import java.util.Optional;

/** Body of {@code PATCH /sessions/{id}}: a new title, and/or archive ({@code true}) or unarchive ({@code false}). */
public record UpdateSessionRequest(Optional<String> title, Optional<Boolean> archived) {
    public static UpdateSessionRequest title(String title) { return new UpdateSessionRequest(Optional.of(title), Optional.empty()); }

    public static UpdateSessionRequest archive(boolean archived) { return new UpdateSessionRequest(Optional.empty(), Optional.of(archived)); }
}
