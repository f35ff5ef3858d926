package dev.lathe.core.session;

import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import dev.lathe.protocol.session.Session;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A new session in a new worktree ({@code POST /sessions} with {@code worktree}, DESIGN §19), in Claude Code's order:
 * the session's id first, so the {@code WorktreeCreate} hook's {@code session_id} names it, then the worktree, then the
 * session stored in the worktree's folder with the worktree recorded (also one a hook made outside the repository).
 */
final class WorktreeSessionStart {
    private WorktreeSessionStart() {}

    /** @param insert stores the session with this id in the worktree just made */
    static Session start(Worktrees worktrees, CreateSessionRequest request, Worktrees.BaseRef base, BiFunction<SessionId, WorktreeInfo, Session> insert) {
        SessionId id = SessionId.next();
        WorktreeInfo tree = worktrees.create(Path.of(request.directory()), request.worktree().flatMap(CreateSessionRequest.NewWorktree::name), base,
                Optional.of(id.value()));
        try {
            return insert.apply(id, tree);
        } catch (RuntimeException e) {
            // the worktree was made for this session only and holds nothing yet: it goes again (a hook's, through its
            // WorktreeRemove hooks), so the refused request leaves nothing behind
            try {
                worktrees.remove(new WorktreeRemoveRequest(tree.mainCheckout(), tree.name(), WorktreeRemoveRequest.Force.force));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }
}
