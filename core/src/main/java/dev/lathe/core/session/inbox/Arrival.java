package dev.lathe.core.session.inbox;

import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PromptRequest;

/**
 * What arrives in a session from outside its running turn (decision 521): each kind enters through the one
 * {@link Inbox#deliver}, which decides whether it waits behind the running turn, is steered into it, stops it, or starts
 * a turn ({@link Inbox.Entry}). What a turn writes for itself (a {@code Stop} hook's feedback, the note after a
 * compaction, a compaction's summary request, a user's shell command) is no arrival: that turn answers it.
 */
public sealed interface Arrival {
    /** The session it arrives in. */
    SessionId session();

    /** A person's (or a client's) prompt through the API, with how it goes to a busy session ({@code delivery}, DESIGN §18). */
    record Prompt(SessionId session, PromptRequest request) implements Arrival {}

    /**
     * A schedule's due run (DESIGN §18 "Schedules"): its message, as the prompt of the run's session, which nobody
     * watches, so its asks follow {@code permission.unattended} (DESIGN §26).
     */
    record ScheduleFiring(SessionId session, ScheduleId schedule, String message) implements Arrival {
        PromptRequest request() { return PromptRequest.text(message).unattendedRun(); }
    }

    /**
     * A background child's end, for its parent ({@code session}; DESIGN §18 "Background subagents"): {@code status} is
     * {@code completed}, {@code failed} or {@code cancelled}, {@code answer} the child's final answer.
     */
    record ChildResult(SessionId session, SessionId child, String status, String answer) implements Arrival {}

    /** A teammate's message (DESIGN §18 "Agent teams"), as the team's store holds it until it is delivered once. */
    record TeammateMessage(SessionId session, TeamStore.Delivery delivery) implements Arrival {}

    /**
     * What a background command's monitor caught, its end or its limit, for the session that started it (DESIGN §32):
     * {@code text} about command {@code id} ({@code bg_N}).
     */
    record ProcessOutput(SessionId session, String id, String text) implements Arrival {}

    /**
     * A hook's feedback that keeps an idle session working ({@code TeammateIdle}): its reason becomes the session's
     * next instruction, as Lathe's text, not the user's.
     */
    record HookFeedback(SessionId session, String event, String reason) implements Arrival {}
}
