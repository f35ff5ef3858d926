package dev.lathe.client;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cron schedules' routes (DESIGN §18 "Schedules"): add, list, remove. */
final class ScheduleCalls {
    private final ApiRequests requests;

    ScheduleCalls(ApiRequests requests) {
        this.requests = requests;
    }

    ScheduleInfo add(ScheduleRequest request) {
        return WireJson.read(requests.send(requests.post(ApiRequests.Target.of(ApiRoute.SCHEDULE_ADD), request)), ScheduleInfo.class);
    }

    List<ScheduleInfo> list() {
        return List.of(WireJson.read(requests.send(requests.get(ApiRequests.Target.of(ApiRoute.SCHEDULES), Map.of())), ScheduleInfo[].class));
    }

    void remove(String id) {
        requests.send(requests.request(ApiRequests.Target.of(ApiRoute.SCHEDULE_REMOVE, id), Map.of(), Optional.empty()));
    }
}
