package dev.lathe.protocol.api;

import java.util.Objects;

/**
 * A folder the server knows ({@code GET /projects}): one with sessions, or one the user trusted. {@code name} is the
 * folder's last path element; {@code sessions} counts its top-level sessions; {@code lastActivity} is the newest
 * session's update time (epoch millis, 0 without sessions); {@code trusted} says whether its own definitions run.
 */
public record ProjectFolder(String directory, String name, int sessions, long lastActivity, boolean trusted) {
    public ProjectFolder {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(name, "name");
    }
}
