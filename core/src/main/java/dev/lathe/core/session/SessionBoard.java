package dev.lathe.core.session;

import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.api.TeamPlace;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session board of the web UI (issue 30): every folder's sessions with what each is doing, how full its context
 * was at its last step and whether its last answer failed. Reads two indexed rows per session (its newest step end and
 * its newest answer), never a whole history, and one read for every row's agent team, so the board stays cheap as
 * sessions grow long.
 */
final class SessionBoard {
    /** The board shows the most recently active sessions; older ones stay reachable per folder. */
    static final int MAX_SESSIONS = 500;

    private final SessionStore sessions;
    private final MessageStore messages;
    private final Live live;
    private final TeamStore teams;

    /**
     * What the board reads of the running sessions, from this process's memory: a session's {@code status}, the model's
     * context window for it ({@code contextLimit}, 0 when it is not known without loading much), and the background
     * {@code task} a session is ({@link dev.lathe.core.session.background.BackgroundTasks}, never from the store).
     */
    interface Live {
        SessionStatus status(SessionId id);

        int contextLimit(Session session);

        Optional<BackgroundTask> task(SessionId id);
    }

    /** {@code teams}: which sessions lead an agent team or are its members, one read per board. */
    SessionBoard(SessionStore sessions, MessageStore messages, Live live, TeamStore teams) {
        this.sessions = sessions;
        this.messages = messages;
        this.live = live;
        this.teams = teams;
    }

    List<SessionSummary> rows() {
        var out = new ArrayList<SessionSummary>();
        List<Session> recent = sessions.recent(MAX_SESSIONS);
        Map<SessionId, TeamStore.Place> places = teams.places(recent.stream().map(Session::id).toList());
        for (Session s : recent) {
            SessionStatus now = live.status(s.id());
            long context = messages.lastStepFinish(s.id()).map(f -> f.usage().prompt()).orElse(0L);
            Optional<String> failure = now instanceof SessionStatus.Idle ? failure(messages.lastAnswer(s.id())) : Optional.empty();
            Optional<BackgroundTask> background = s.parentId().isPresent() ? live.task(s.id()) : Optional.empty();
            Optional<TeamPlace> team = Optional.ofNullable(places.get(s.id()))
                    .map(p -> new TeamPlace(p.team().id().value(), p.team().name(), p.member(), p.members()));
            out.add(new SessionSummary(s, now, context, live.contextLimit(s), failure, background, team));
        }
        return out;
    }

    private static Optional<String> failure(Optional<AssistantMessage> last) {
        // an abort is the user's own doing, not a failure to show
        return last.flatMap(AssistantMessage::error).filter(e -> !e.kind().equals("aborted")).map(MessageError::message);
    }
}
