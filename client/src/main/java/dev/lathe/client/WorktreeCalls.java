package dev.lathe.client;

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

    WorktreeCalls(ApiRequests requests) {
        this.requests = requests;
    }

    WorktreeInfo create(WorktreeCreateRequest request) {
        return WireJson.read(requests.send(requests.post("/worktrees", request)), WorktreeInfo.class);
    }

    List<WorktreeInfo> list(String directory) {
        return List.of(WireJson.read(requests.send(requests.get("/worktrees", Map.of("directory", directory))), WorktreeInfo[].class));
    }

    WorktreeEnd end(String directory, String name) {
        return WireJson.read(requests.send(action(directory, name, "end")), WorktreeEnd.class);
    }

    WorktreeMerge merge(String directory, String name) {
        return WireJson.read(requests.send(action(directory, name, "merge")), WorktreeMerge.class);
    }

    WorktreeInfo remove(WorktreeRemoveRequest request) {
        var query = Map.of("directory", request.directory(), "force", String.valueOf(request.force() == WorktreeRemoveRequest.Force.force));
        return WireJson.read(requests.send(requests.request("DELETE", "/worktrees/" + ApiRequests.encodePath(request.name()), query, Optional.empty())),
                WorktreeInfo.class);
    }

    private HttpTransport.Request action(String directory, String name, String action) {
        return requests.json("POST", "/worktrees/" + ApiRequests.encodePath(name) + "/" + action, Map.of("directory", directory), "{}");
    }
}
