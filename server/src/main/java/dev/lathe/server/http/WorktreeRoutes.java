package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.WorktreeCreateRequest;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import java.io.IOException;

/** The routes of a repository's session worktrees (DESIGN §19): create, list, end, merge and remove. */
final class WorktreeRoutes {
    private final LatheApi api;

    WorktreeRoutes(LatheApi api) {
        this.api = api;
    }

    Router addTo(Router r) {
        return r
                .add(ApiRoute.WORKTREE_CREATE, Rights.ANY_USER, RouteDoc.of("Create a git worktree of a repository for a new session: REPO/.lathe/worktrees/NAME "
                        + "on branch lathe/NAME (a readable name is generated when none is given)")
                        .body(WorktreeCreateRequest.class).returns(201, new RouteDoc.Shape.One(WorktreeInfo.class)), this::create)
                .add(ApiRoute.WORKTREES, Rights.ANY_USER, RouteDoc.of("The worktrees of the repository holding the folder, with branch, ahead/behind, "
                        + "uncommitted changes and newest session").query("directory").returnsList(WorktreeInfo.class),
                        c -> c.json(200, api.worktrees(c.requiredDirectory())))
                .add(ApiRoute.WORKTREE_END, Rights.WORKTREE_OWNER, RouteDoc.of("A session in the worktree ended: remove it with its branch when it "
                        + "holds no change and no new commit, else keep it").query("directory").returns(WorktreeEnd.class),
                        c -> c.json(200, api.endWorktree(c.requiredDirectory(), c.param("name"))))
                .add(ApiRoute.WORKTREE_MERGE, Rights.ADMIN, RouteDoc.of("Merge the worktree's branch into the main checkout's current branch "
                        + "(its uncommitted changes committed first); a conflict aborts the merge and answers 409 naming the files")
                        .query("directory").returns(WorktreeMerge.class),
                        c -> c.json(200, api.mergeWorktree(c.requiredDirectory(), c.param("name"))))
                .add(ApiRoute.WORKTREE_REMOVE, Rights.ADMIN, RouteDoc.of("Remove the worktree and its branch; refused (409) when it holds "
                        + "uncommitted changes or unmerged commits, unless force=true").query("directory", "force").returns(WorktreeInfo.class),
                        c -> c.json(200, api.removeWorktree(new WorktreeRemoveRequest(c.requiredDirectory(), c.param("name"), force(c)))));
    }

    private void create(Call c) throws IOException {
        var request = Call.convert(c.jsonObject(), WorktreeCreateRequest.class);
        if (request.directory() == null || request.directory().isBlank()) throw new LatheException.InvalidInput("directory is required");
        c.json(201, api.createWorktree(request));
    }

    private static WorktreeRemoveRequest.Force force(Call c) {
        return switch (c.query("force").orElse("false")) {
            case "true" -> WorktreeRemoveRequest.Force.force;
            case "false" -> WorktreeRemoveRequest.Force.safe;
            default -> throw new LatheException.InvalidInput("query parameter 'force' must be true or false");
        };
    }
}
