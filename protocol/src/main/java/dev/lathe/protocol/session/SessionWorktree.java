package dev.lathe.protocol.session;

/**
 * The git worktree a session runs in (DESIGN §19): its {@code name} (the folder under
 * {@code MAIN/.lathe/worktrees/}), its {@code branch} ({@code lathe/NAME}) and the {@code mainCheckout} it belongs to,
 * the repository folder whose session list shows it.
 */
public record SessionWorktree(String name, String branch, String mainCheckout) {}
