package dev.lathe.client;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ProcessApi;
import dev.lathe.protocol.api.ProcessChunk;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.api.ProcessInput;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Map;

/** A session's background commands over HTTP (DESIGN §32): listed, read, typed into, ended. */
final class ProcessCalls implements ProcessApi {
    private final ApiRequests requests;

    ProcessCalls(ApiRequests requests) {
        this.requests = requests;
    }

    @Override
    public List<ProcessInfo> list(SessionId session) {
        return List.of(WireJson.read(requests.send(requests.get(ApiRequests.Target.of(ApiRoute.SESSION_PROCESSES, session.value()), Map.of())),
                ProcessInfo[].class));
    }

    @Override
    public ProcessChunk output(SessionId session, String processId, long since) {
        return WireJson.read(requests.send(requests.get(ApiRequests.Target.of(ApiRoute.SESSION_PROCESS_OUTPUT, session.value(), processId),
                Map.of("since", Long.toString(since)))), ProcessChunk.class);
    }

    @Override
    public void input(SessionId session, String processId, ProcessInput input) {
        requests.send(requests.post(ApiRequests.Target.of(ApiRoute.SESSION_PROCESS_INPUT, session.value(), processId), input));
    }

    @Override
    public void kill(SessionId session, String processId) {
        requests.send(requests.empty(ApiRequests.Target.of(ApiRoute.SESSION_PROCESS_KILL, session.value(), processId), Map.of()));
    }
}
