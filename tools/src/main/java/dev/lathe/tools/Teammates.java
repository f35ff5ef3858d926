package dev.lathe.tools;

import java.util.List;
import java.util.Optional;

/**
 * Port to the session's agent team (implemented in core, which keeps teams in the store and runs members as background
 * child sessions; DESIGN §18 "Agent teams"): {@code team_create}, {@code send_message} and {@code team_tasks} live here
 * and never import the session loop. Anything the model can act on (an unknown member, a task already claimed, a
 * session in no team) is a {@link ToolFailure} saying so.
 */
public interface Teammates {
    /** A member to make: its name, its first prompt, and optionally its agent, model ({@code provider/model}) and worktree. */
    record NewMember(String name, String prompt, Optional<String> agent, Optional<String> model, Subagents.Isolation isolation) {}

    /** A member as it stands: its session, agent and status ({@code idle}, {@code busy}, …). */
    record Member(String name, String sessionId, String agent, String status) {}

    /** A made team: its id, the members started, and those that could not be (a worktree, a cap), each with why. */
    record Team(String id, String name, List<Member> members, List<NotStarted> notStarted) {}

    /** A member team_create named that was not started, and why (in the model's words: what to change). */
    record NotStarted(String name, String reason) {}

    /** A task of the shared list: {@code status} is {@code pending}, {@code in_progress} or {@code completed}. */
    record Task(int id, String title, String status, Optional<String> owner, List<Integer> dependsOn) {}

    /**
     * Makes the team this session leads, each member a background session started on its prompt. A member that cannot be
     * started is left out whole (neither in the team nor running) and listed in {@link Team#notStarted}; when none can
     * be, no team is made and the call fails saying why.
     */
    Team create(String name, List<NewMember> members);

    /** Sends {@code text} to {@code to} (a member's name, {@code lead}, or {@code *} for everyone else); the names reached. */
    List<String> send(String to, String text);

    List<Task> tasks();

    Task add(String title, List<Integer> dependsOn);

    /** This session takes the task: fails when another holds it or its dependencies are not completed. */
    Task claim(int id);

    /** Sets the task's status; {@code owner} hands it to a member (or {@code lead}). */
    Task update(int id, String status, Optional<String> owner);

    /** Where no team is reachable (tests, tools run outside a session). */
    Teammates UNAVAILABLE = new Teammates() {
        private ToolFailure none() { return new ToolFailure("Agent teams are not available here."); }

        @Override public Team create(String name, List<NewMember> members) { throw none(); }

        @Override public List<String> send(String to, String text) { throw none(); }

        @Override public List<Task> tasks() { throw none(); }

        @Override public Task add(String title, List<Integer> dependsOn) { throw none(); }

        @Override public Task claim(int id) { throw none(); }

        @Override public Task update(int id, String status, Optional<String> owner) { throw none(); }
    };
}
