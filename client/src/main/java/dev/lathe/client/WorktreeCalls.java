package dev.lathe.client;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.protocol.api.WorktreeCreateRequest;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The worktree routes (DESIGN §19, {@code /worktrees}) as {@link HttpLatheClient} calls them. */
final class WorktreeCalls {
    private final ApiRequests requests;

    private static ApiRequests.Target at(ApiRoute route, String... values) { return ApiRequests.Target.of(route, values); }

    WorktreeCalls(ApiRequests requests) {
        this.requests = requests;
    }

    WorktreeInfo create(WorktreeCreateRequest request) {
        return WireJson.read(requests.send(requests.post(at(ApiRoute.WORKTREE_CREATE), request)), WorktreeInfo.class);
    }

    List<WorktreeInfo> list(String directory) {
        return List.of(WireJson.read(requests.send(requests.get(at(ApiRoute.WORKTREES), Map.of("directory", directory))), WorktreeInfo[].class));
    }

    WorktreeEnd end(String directory, String name) {
        return WireJson.read(requests.send(action(ApiRoute.WORKTREE_END, directory, name)), WorktreeEnd.class);
    }

    WorktreeMerge merge(String directory, String name) {
        return WireJson.read(requests.send(action(ApiRoute.WORKTREE_MERGE, directory, name)), WorktreeMerge.class);
    }

    WorktreeInfo remove(WorktreeRemoveRequest request) {
        var query = Map.of("directory", request.directory(), "force", String.valueOf(request.force() == WorktreeRemoveRequest.Force.force));
        return WireJson.read(requests.send(requests.request(at(ApiRoute.WORKTREE_REMOVE, request.name()), query, Optional.empty())),
                WorktreeInfo.class);
    }

    private HttpTransport.Request action(ApiRoute action, String directory, String name) {
        return requests.json(at(action, name), Map.of("directory", directory), "{}");
    }
}
