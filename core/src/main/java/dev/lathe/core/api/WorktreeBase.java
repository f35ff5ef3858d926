package dev.lathe.core.api;

import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.RawJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code worktree.baseRef} of a folder's merged configuration: {@code head} (the default) or {@code fresh}. */
final class WorktreeBase {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WorktreeBase() {}

    static Worktrees.BaseRef of(RawJson config) {
        JsonNode base = JSON.readTree(config.json()).path("worktree").path("baseRef");
        return "fresh".equals(base.asString("head")) ? Worktrees.BaseRef.FRESH : Worktrees.BaseRef.HEAD;
    }
}
