package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.SessionStatus;
import java.util.List;
import java.util.Optional;

/**
 * An agent team as {@code GET /teams/{id}} answers it (DESIGN §18 "Agent teams"): its lead session, its members with
 * their sessions and statuses, the shared task list, and the newest messages of its log, oldest first.
 */
public record TeamInfo(String id, String name, SessionId lead, long createdAt, List<Member> members, List<Task> tasks, List<Message> messages) {
    /** A member: the name others message it by, its session, agent, model and status now. */
    public record Member(String name, SessionId sessionId, String agent, String model, SessionStatus status) {}

    /** A task: {@code status} is {@code pending}, {@code in_progress} or {@code completed}; {@code owner} a member name or {@code lead}. */
    public record Task(int id, String title, String status, Optional<String> owner, List<Integer> dependsOn) {}

    /** A message as sent: {@code to} is a member name, {@code lead} or {@code *}. */
    public record Message(String from, String to, String text, long sentAt) {}
}
