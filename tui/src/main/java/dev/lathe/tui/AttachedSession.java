package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tui.view.Transcript;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The session this UI shows, as it last heard of it: the session (none before the first message of a new one), its
 * family (it and the subagents it started, whose asks are the user's too), its transcript, its turn and its todos.
 * Owned by the UI's loop and changed on its thread alone.
 */
final class AttachedSession {
    /** The transcript's session before the first message made one. */
    private static final SessionId NONE = new SessionId("ses_none");

    private Optional<Session> session = Optional.empty();
    /** Unmodifiable, replaced when a subagent joins (rare): the server events' reducer reads it on each event. */
    private Set<SessionId> family = Set.of();
    private Transcript transcript = new Transcript(NONE);
    /** Changed by {@link TurnState}'s steps as statuses arrive and prompts go. */
    private TurnState turn = TurnState.idle();
    private List<Todo> todos = List.of();

    Optional<Session> session() { return session; }

    /** Another session is shown from now on, with a transcript of its own; its turn and todos follow from the server. */
    void attach(Session s) {
        session = Optional.of(s);
        family = Set.of(s.id());
        transcript = new Transcript(s.id());
    }

    /** A new session, made lazily at the first message: until then nothing is attached and nothing runs. */
    void detach() {
        session = Optional.empty();
        family = Set.of();
        transcript = new Transcript(NONE);
        turn = turn.withStatus(new SessionStatus.Idle());
        todos = List.of();
    }

    /** The session the first message made: the transcript starts over for it. */
    void created(Session s) {
        session = Optional.of(s);
        family = with(family, s.id());
        transcript = new Transcript(s.id());
    }

    /** The server's newer record of the attached session. */
    void updated(Session s) { session = Optional.of(s); }

    /** Whether {@code id} is the attached session itself (not one of its subagents). */
    boolean isMain(SessionId id) { return session.map(s -> s.id().equals(id)).orElse(false); }

    boolean inFamily(SessionId id) { return family.contains(id); }

    /** A subagent of the family: its events and asks are followed from now on. */
    void child(SessionId id) { family = with(family, id); }

    /** The session and its subagents (unmodifiable). */
    Set<SessionId> family() { return family; }

    /** A step's family becomes the session's. */
    void family(Set<SessionId> now) { family = now; }

    /** {@code family} and {@code id}: the same set when it has it already. */
    static Set<SessionId> with(Set<SessionId> family, SessionId id) {
        if (family.contains(id)) return family;
        var now = new HashSet<>(family);
        now.add(id);
        return Set.copyOf(now);
    }

    Transcript transcript() { return transcript; }

    TurnState turn() { return turn; }

    void turn(TurnState now) { turn = now; }

    boolean busy() { return turn.busy(); }

    List<Todo> todos() { return todos; }

    void todos(List<Todo> now) { todos = now; }
}
