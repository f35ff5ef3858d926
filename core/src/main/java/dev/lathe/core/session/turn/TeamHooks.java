package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.store.TeamStore;
import dev.lathe.protocol.session.Session;
import java.util.Optional;

/**
 * Claude Code's team hook events (DESIGN §22 "Agent teams"): {@code TeammateIdle} when a member's turn ends and
 * {@code TaskCompleted} when a task is marked completed, fired with the project's hooks of the session concerned
 * (a member's events are its lead's session's, as a subagent's are).
 */
public final class TeamHooks {
    private final SessionHooks hooks;
    private final LiveProject.OfSessions projects;

    public TeamHooks(SessionHooks hooks, LiveProject.OfSessions projects) {
        this.hooks = hooks;
        this.projects = projects;
    }

    /**
     * Fires {@code TeammateIdle}; the feedback a hook gave when it keeps the member working (exit 2), else empty. Its
     * {@code continue: false} is no reason to go on: the member goes idle, as it would anyway.
     */
    Optional<String> teammateIdle(Session member, TeamStore.Team team, String name) {
        return hooks.fire(scope(member), new HookInput.TeammateIdle(name, team.name())).verdict() instanceof HookOutcome.Verdict.Block b
                ? Optional.of(b.reason()) : Optional.empty();
    }

    /** Fires {@code TaskCompleted}; the reason a hook gave when it keeps the task open (exit 2), else empty. */
    Optional<String> taskCompleting(Session by, TeamStore.Team team, TeamStore.Task task, String name) {
        return reasonToGoOn(hooks.fire(scope(by), new HookInput.TaskCompleted(Integer.toString(task.id()), task.title(), task.title(), name, team.name())));
    }

    /** A block (exit 2) or a stop says why; anything else lets the action go ahead. */
    private static Optional<String> reasonToGoOn(HookOutcome outcome) {
        return switch (outcome.verdict()) {
            case HookOutcome.Verdict.Block b -> Optional.of(b.reason());
            case HookOutcome.Verdict.Stop s -> Optional.of(s.reason());
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> Optional.empty();
        };
    }

    private SessionHooks.Scope scope(Session session) {
        Project project = projects.of(session);
        return TurnHooks.scope(session, project, Secrets.of(project, Optional.empty()), false);
    }
}
