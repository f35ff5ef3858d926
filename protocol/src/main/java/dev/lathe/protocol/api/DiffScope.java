package dev.lathe.protocol.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a session's diff compares ({@code GET /sessions/{id}/diff?scope=}, DESIGN §32): the files the current or last
 * turn changed, everything the session changed, the working tree against {@code HEAD} (untracked files included), or
 * the working tree against the merge base with the repository's default branch. The last two are git's view of the
 * session's folder (its worktree for a worktree session); the first two are Lathe's own snapshots.
 */
public enum DiffScope {
    TURN("turn"),
    SESSION("session"),
    UNCOMMITTED("uncommitted"),
    BRANCH("branch");

    private final String wire;

    DiffScope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @throws LatheException.InvalidInput naming the four scopes when {@code text} is none of them */
    public static DiffScope parse(String text) {
        for (DiffScope s : values()) if (s.wire.equals(text.strip())) return s;
        throw new LatheException.InvalidInput("scope must be one of " + names() + ", not '" + text + "'");
    }

    /** The wire names, comma separated, for messages and usage lines. */
    public static String names() {
        return Arrays.stream(values()).map(DiffScope::wire).collect(Collectors.joining(", "));
    }
}
