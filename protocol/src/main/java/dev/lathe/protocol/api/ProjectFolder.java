package dev.lathe.protocol.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A folder the server knows ({@code GET /projects}): one with sessions, or one the user trusted. {@code name} is the
 * folder's last path element; {@code sessions} counts its top-level sessions; {@code lastActivity} is the newest
 * session's update time (epoch millis, 0 without sessions); {@code trusted} says whether its own definitions run;
 * {@code branch} is the git branch checked out in it, when it is a git checkout on a branch (the board shows it).
 */
public record ProjectFolder(String directory, String name, int sessions, long lastActivity, boolean trusted, Optional<String> branch) {
    public ProjectFolder {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(branch, "branch");
    }

    /** A folder whose branch is not known. */
    public ProjectFolder(String directory, String name, int sessions, long lastActivity, boolean trusted) {
        this(directory, name, sessions, lastActivity, trusted, Optional.empty());
    }
}
