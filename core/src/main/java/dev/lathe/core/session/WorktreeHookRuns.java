package dev.lathe.core.session;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookEvent;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.hooks.HookInput;
import dev.lathe.core.hooks.HookOutcome;
import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.worktree.WorktreeHooks;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The project's {@code WorktreeCreate} and {@code WorktreeRemove} hooks, run through the session hooks (so their runs
 * are audited like every other hook's). As in Claude Code only {@code command} handlers run for these two events; the
 * folder a {@code WorktreeCreate} hook made is the one line it prints on stdout, and a hook that fails or prints
 * anything else makes no worktree.
 */
final class WorktreeHookRuns implements WorktreeHooks {
    private static final System.Logger LOG = System.getLogger(WorktreeHookRuns.class.getName());

    private final SessionHooks hooks;
    private final LiveProject.AtFolder projects;

    WorktreeHookRuns(SessionHooks hooks, LiveProject.AtFolder projects) {
        this.hooks = hooks;
        this.projects = projects;
    }

    @Override
    public boolean creates(Path directory) {
        return hooks.matches(scope(directory, ""), new HookInput.WorktreeCreate(""));
    }

    @Override
    public Path create(Path directory, String name, Optional<String> sessionId) {
        HookOutcome outcome = hooks.fire(scope(directory, sessionId.orElse("")), new HookInput.WorktreeCreate(name));
        if (outcome.runs().isEmpty()) throw new LatheException.Failed("the WorktreeCreate hook did not run (the server log says why); no worktree was made");
        for (HookRun run : outcome.runs()) {
            if (!(run.result() instanceof HookRun.Result.Succeeded)) {
                throw new LatheException.Failed("no worktree was made: " + run.describe());
            }
        }
        List<String> printed = outcome.context();
        if (printed.size() != 1) {
            throw new LatheException.Failed(printed.isEmpty()
                    ? "the WorktreeCreate hook printed nothing: it must print the absolute path of the folder it made (other output to stderr)"
                    : printed.size() + " WorktreeCreate hooks each printed a folder: only one may make the worktree");
        }
        String line = printed.getFirst().strip();
        if (line.contains("\n")) {
            throw new LatheException.Failed("the WorktreeCreate hook printed " + line.lines().count()
                    + " lines: it must print only the absolute path of the folder it made (send other output to stderr)");
        }
        Path made = Path.of(line);
        if (!made.isAbsolute()) throw new LatheException.Failed("the WorktreeCreate hook printed '" + line + "', which is not an absolute path");
        if (!Files.isDirectory(made)) throw new LatheException.Failed("the WorktreeCreate hook printed " + made + ", which is not a folder");
        try {
            return made.toRealPath();
        } catch (IOException e) {
            throw new LatheException.Failed("cannot use the folder the WorktreeCreate hook made (" + made + "): " + e.getMessage());
        }
    }

    @Override
    public void removing(Path directory, Path worktree, Optional<String> sessionId) {
        try {
            var scope = scope(directory, sessionId.orElse(""));
            var data = new HookInput.WorktreeRemove(worktree);
            if (!hooks.matches(scope, data)) return;
            // Claude Code: it cannot stop the removal; a failure is only logged
            for (String notice : hooks.fire(scope, data).notices()) LOG.log(System.Logger.Level.WARNING, notice);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WorktreeRemove hooks of " + directory + " could not run", e);
        }
    }

    /** The project's hooks for the two events, command handlers only (Claude Code runs no other kind for them). */
    private SessionHooks.Scope scope(Path directory, String sessionId) {
        Project project = projects.at(directory.toString());
        List<Hook> commands = project.config().hooks().stream()
                .filter(h -> (h.event() != HookEvent.WORKTREE_CREATE && h.event() != HookEvent.WORKTREE_REMOVE) || h.handler() instanceof HookHandler.Command)
                .toList();
        return new SessionHooks.Scope(sessionId, project.directory(), commands, project.config().mcp().keySet(), Secrets.of(project, Optional.empty()),
                "default", project.hookRules());
    }
}
