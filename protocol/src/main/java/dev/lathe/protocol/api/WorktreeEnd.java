package dev.lathe.protocol.api;

/**
 * What ending a session's worktree did: {@code kept} when it holds changes or commits (its {@code path} and
 * {@code branch} stay for the user), otherwise it was removed with its branch.
 */
public record WorktreeEnd(String name, String branch, String path, Ending ending) {
    public enum Ending { kept, removed }
}
