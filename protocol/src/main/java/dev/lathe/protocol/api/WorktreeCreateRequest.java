package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code POST /worktrees}: a new worktree of the repository at {@code directory} (absolute), named {@code name}
 * or, when empty, a generated readable name such as {@code brisk-otter}.
 */
public record WorktreeCreateRequest(String directory, Optional<String> name) {}
