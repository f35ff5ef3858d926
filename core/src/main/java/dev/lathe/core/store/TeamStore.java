package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.TeamId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agent teams (DESIGN §18 "Agent teams"): a lead session, its named members (each a session of its own), the team's
 * shared task list and its message log. A task is claimed by one conditional write ({@link #claim}), so of members
 * claiming at once (on one node or on several sharing the database) one holds it, and a task whose dependencies are not
 * all completed is claimed by none.
 */
public interface TeamStore {
    /** The word a member uses for the lead, as an owner, a sender or a recipient. */
    String LEAD = "lead";

    record Team(TeamId id, String name, SessionId lead, long createdAt) {}

    record Member(String name, SessionId session, String agent, String model) {}

    /** Where a session stands in a team: its lead ({@code member} empty) or the member so named; {@code members} counts the team's members. */
    record Place(Team team, Optional<String> member, int members) {}

    /** How a task stands; {@link #word} is what the tools and the route say. */
    enum Status {
        PENDING, IN_PROGRESS, COMPLETED;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Optional<Status> of(String word) {
            for (Status s : values()) if (s.word().equals(word)) return Optional.of(s);
            return Optional.empty();
        }
    }

    /** A task of the list: {@code id} numbers it within its team (1, 2, 3…); {@code owner} is a member name or {@link #LEAD}. */
    record Task(int id, String title, Status status, Optional<String> owner, List<Integer> dependsOn) {}

    /** A message of the team's log, as sent: {@code to} is a member name, {@link #LEAD} or {@code *}. */
    record Message(String id, String from, String to, String text, long sentAt) {}

    /** What a claim came to. */
    sealed interface Claim {
        record Claimed(Task task) implements Claim {}

        /** Another owner holds it, or it is completed. */
        record Taken(Task task) implements Claim {}

        /** Some of its dependencies are not completed yet (their ids). */
        record Blocked(Task task, List<Integer> waitingFor) implements Claim {}

        record Missing() implements Claim {}
    }

    /** Writes the team and its members at once. */
    void create(Team team, List<Member> members);

    /** Adds a member to a team made before (a member's session exists only once it is started). */
    void addMember(TeamId team, Member member);

    Optional<Team> find(TeamId id);

    /** The team {@code session} leads or is a member of. */
    Optional<Team> ofSession(SessionId session);

    /**
     * The places of those of {@code sessions} that lead a team or are members of one, by session (the board's marks):
     * one read for them all, however many rows the board has.
     */
    Map<SessionId, Place> places(Collection<SessionId> sessions);

    /** The members, in the order they were made. */
    List<Member> members(TeamId team);

    /** Adds a pending task after the last one; dependencies that are not tasks of the team are an IllegalArgumentException. */
    Task addTask(TeamId team, String title, List<Integer> dependsOn);

    /** The task list, by id. */
    List<Task> tasks(TeamId team);

    /** {@code owner} takes task {@code id}: exactly one of claimers at once wins, and only when its dependencies are completed. */
    Claim claim(TeamId team, int id, String owner);

    /** Sets the task's status (and its owner when {@code owner} is present); empty when there is no such task. */
    Optional<Task> update(TeamId team, int id, Status status, Optional<String> owner);

    /**
     * A message sent and not yet written into one recipient's session: {@link #logMessage} leaves one per recipient,
     * {@link #deliver} makes it once.
     */
    record Delivery(String messageId, SessionId recipient, String from, String text) {}

    /**
     * Logs the message and a delivery to each of {@code recipients} in one transaction: a message logged is one some node
     * will deliver (the sender at once, or {@link #undelivered} after a crash between the two).
     */
    void logMessage(TeamId team, Message message, List<SessionId> recipients);

    /** The deliveries not made yet, oldest message first: what a node that died (or a daemon stopped) between sending and delivering left. */
    List<Delivery> undelivered();

    /**
     * Marks the delivery made and appends {@code message} and its {@code parts} to the recipient's session, in one
     * transaction: true when this call made it, false when it was made before (by another node, or before a restart), in
     * which case nothing is written. What makes a message reach its recipient exactly once.
     */
    boolean deliver(Delivery delivery, UserMessage message, List<Part> parts);

    /** Marks a delivery made without writing anything: its recipient's session is gone. */
    void discard(Delivery delivery);

    /** The team's messages, oldest first, at most {@code limit} of the newest. */
    List<Message> messages(TeamId team, int limit);
}
