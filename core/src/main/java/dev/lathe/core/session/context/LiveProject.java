package dev.lathe.core.session.context;

import dev.lathe.core.project.Project;
import dev.lathe.protocol.session.Session;

/**
 * A session's project as its configuration is now ({@code Projects.current}: the last good one while an edit left it
 * invalid), read again before each step and each tool call, so a config edited while a turn runs applies from its next
 * step (model and provider settings) and its next tool call (permission rules). One named port where a bare
 * {@code Supplier<Project>} used to be passed from the turn down to its responders, frame and calls (decision 524).
 */
@FunctionalInterface
public interface LiveProject {
    /** The project as configured now. */
    Project now();

    /** Any session's project as configured now, for the parts that act on several sessions (subagents, teams, their hooks). */
    @FunctionalInterface
    interface OfSessions {
        /** Session {@code session}'s project as configured now. */
        Project of(Session session);
    }

    /**
     * The project at a folder as configured now, under the server's own environment (no client's keys): for work tied
     * to a folder rather than to a session's turn (worktree hooks, the project a moved session now belongs to).
     */
    @FunctionalInterface
    interface AtFolder {
        /** The project whose folder is {@code directory}, as configured now. */
        Project at(String directory);
    }
}
