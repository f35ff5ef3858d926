package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * A merge of worktree {@code name}'s {@code branch} into {@code into}, the main checkout's current branch, that went
 * through; {@code committed} is the commit made first of the worktree's uncommitted changes, if it had any. A merge that
 * conflicts is never half applied: it is aborted and refused with a {@link LatheException.Conflict} naming the files.
 */
public record WorktreeMerge(String name, String branch, String into, Optional<String> committed) {}
