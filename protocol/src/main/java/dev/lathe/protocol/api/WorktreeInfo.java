package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * One worktree of a repository (DESIGN §19): {@code path} is {@code mainCheckout/.lathe/worktrees/name} on
 * {@code branch}; {@code ahead} and {@code behind} count its branch's commits against the main checkout's current
 * branch; {@code dirty} says it holds uncommitted changes; {@code session} is the newest session that runs in it.
 */
public record WorktreeInfo(String name, String branch, String path, String mainCheckout, int ahead, int behind, boolean dirty,
        Optional<String> session) {}
