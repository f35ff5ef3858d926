package dev.lathe.core.session.background;

import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The background tasks other team-server nodes run now (DESIGN §20; {@code lathe agents} lists a whole cluster's): a
 * node's {@link BackgroundTasks} holds only what it started, so the children running elsewhere are found from the team
 * statuses (a session another live node runs), and each is a background task when its parent's {@code task} call says
 * so (its part's {@code background} and {@code sessionId}), which also gives its agent, description and start. Read
 * when a client asks for the list, never per turn or step. In one process nothing runs elsewhere: nothing is read.
 */
public final class BackgroundTasksElsewhere {
    /** The fields of a {@code task} call's input this reads. */
    private record TaskInput(String description) {}

    private BackgroundTasksElsewhere() {}

    /**
     * The background tasks in {@code elsewhere} (sessions other nodes run, with their statuses) that are not in
     * {@code listed} (this node's own), each as the children route lists it.
     */
    public static List<ChildSession> running(Map<SessionId, SessionStatus> elsewhere, Set<SessionId> listed, SessionStore sessions,
            Function<SessionId, List<MessageWithParts>> history) {
        List<ChildSession> out = new ArrayList<>();
        for (SessionId id : elsewhere.keySet()) {
            if (listed.contains(id)) continue;
            Optional<Session> child = sessions.find(id);
            if (child.isEmpty() || child.get().parentId().isEmpty()) continue;
            startedIn(history.apply(child.get().parentId().get()), id, child.get().agent())
                    .ifPresent(task -> out.add(new ChildSession(child.get(), elsewhere.get(id) instanceof SessionStatus.Waiting
                            ? BackgroundTasks.WAITING : BackgroundTasks.Status.RUNNING.word(), Optional.of(task))));
        }
        return out;
    }

    /** The background task {@code child} as its parent's {@code task} call started it, if one did. */
    static Optional<BackgroundTask> startedIn(List<MessageWithParts> parentHistory, SessionId child, String agent) {
        for (MessageWithParts m : parentHistory) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Tool t && t.tool().equals("task") && t.state() instanceof ToolState.Completed c
                        && "true".equals(c.metadata().get("background")) && child.value().equals(c.metadata().get("sessionId"))) {
                    String description = description(c);
                    return Optional.of(new BackgroundTask(BackgroundTasks.Status.RUNNING.word(), agent, description, c.startedAt(), Optional.empty()));
                }
            }
        }
        return Optional.empty();
    }

    private static String description(ToolState.Completed call) {
        try {
            return Optional.ofNullable(WireJson.read(call.input().json(), TaskInput.class).description()).orElse("");
        } catch (RuntimeException e) {
            return "";  // an input that is no object: the task is listed without its description
        }
    }
}
