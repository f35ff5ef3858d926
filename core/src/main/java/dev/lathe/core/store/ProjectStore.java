package dev.lathe.core.store;

import dev.lathe.protocol.ProjectId;

/** Project folders Lathe has seen; a project is identified by its absolute, normalised directory. */
public interface ProjectStore {
    /** Whether {@code directory} (absolute, normalised) is a project here: a session was opened there or a client opened it. */
    boolean isKnown(String directory);

    /** The id of the project at {@code directory}, created on first use; callers racing for one folder get one id. */
    ProjectId idFor(String directory);
}
