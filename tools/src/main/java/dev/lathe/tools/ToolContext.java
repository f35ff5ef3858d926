package dev.lathe.tools;

import dev.lathe.llm.Cancellation;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything a call may use, in four parts by what they are: the {@link Call} itself, the {@link Folders} it works in,
 * the {@link Guards} that bound it, and what the {@link Session} behind it offers. The core builds one per call with
 * this constructor (each part named); a caller without a session behind it (a search of the project, a test) uses
 * {@link #builder}, whose defaults are a call outside any session.
 */
public record ToolContext(Call call, Folders folders, Guards guards, Session session) {

    /**
     * Which call this is and how it runs: the ids of its session and of the call, the cancellation the user's stop
     * sets, and where its live output goes.
     */
    public record Call(String sessionId, String id, Cancellation cancellation, ToolProgress progress) {}

    /**
     * {@code project} is the absolute, normalised project root: relative paths in arguments resolve against it.
     * {@code output} is where the full output of truncated results is saved.
     */
    public record Folders(Path project, Path output) {}

    /**
     * What bounds the call: the {@code permissions} it asks, the {@code launcher} every process it runs starts through
     * (where a sandbox wraps them), and the {@code secrets} — credential values (provider keys) that must not reach
     * child processes, whatever variable holds them.
     */
    public record Guards(Permissions permissions, ProcessLauncher launcher, Set<String> secrets) {
        public Guards {
            secrets = Set.copyOf(secrets);
        }
    }

    /**
     * What the session behind the call offers: its todo list, the user (for questions), the {@code task} tool's child
     * sessions, the project's skills, the files of an editor attached to it ({@link EditorFiles#NONE} without one: the
     * file tools use the disk), its context fill and spend ({@link Budget#NONE} outside a turn), and the commands it
     * runs in the background ({@link BackgroundCommands#NONE} where it runs none), and its agent team
     * ({@link Teammates#UNAVAILABLE} where there is none to reach).
     */
    public record Session(Todos todos, Questions questions, Subagents subagents, Skills skills, EditorFiles editorFiles, Budget budget,
            BackgroundCommands background, Teammates team) {}

    /** This context with {@code newLauncher} starting its processes. */
    public ToolContext withLauncher(ProcessLauncher newLauncher) {
        return new ToolContext(call, folders, new Guards(guards.permissions(), newLauncher, guards.secrets()), session);
    }

    /** This context asking {@code newPermissions}. */
    public ToolContext withPermissions(Permissions newPermissions) {
        return new ToolContext(call, folders, new Guards(newPermissions, guards.launcher(), guards.secrets()), session);
    }

    /**
     * A context for a call in {@code projectDir} that asks {@code permissions} (named, never defaulted). Unless set:
     * no session or call id, a cancellation of its own, no live output, output saved in the project folder, no
     * secrets, processes started directly ({@link ProcessLauncher#DIRECT}), todos kept in memory, nobody to answer
     * questions, no subagents, skills, editor, budget or background commands.
     */
    public static Builder builder(Path projectDir, Permissions permissions) {
        return new Builder(projectDir, permissions);
    }

    /** Builds a {@link ToolContext}; each setter names one input. */
    public static final class Builder {
        private final Path projectDir;
        private final Permissions permissions;
        private String sessionId = "";
        private String callId = "";
        private Cancellation cancellation = new Cancellation();
        private ToolProgress progress = ToolProgress.NONE;
        private Path outputDir;
        private Set<String> secrets = Set.of();
        private ProcessLauncher launcher = ProcessLauncher.DIRECT;
        private Todos todos = Todos.inMemory();
        private Questions questions = Questions.UNAVAILABLE;
        private Subagents subagents = Subagents.UNAVAILABLE;
        private Skills skills = Skills.NONE;
        private EditorFiles editorFiles = EditorFiles.NONE;
        private Budget budget = Budget.NONE;
        private BackgroundCommands background = BackgroundCommands.NONE;
        private Teammates team = Teammates.UNAVAILABLE;

        private Builder(Path projectDir, Permissions permissions) {
            this.projectDir = projectDir;
            this.permissions = permissions;
            this.outputDir = projectDir;
        }

        public Builder session(String id) { this.sessionId = id; return this; }

        public Builder call(String id) { this.callId = id; return this; }

        public Builder cancellation(Cancellation c) { this.cancellation = c; return this; }

        public Builder progress(ToolProgress p) { this.progress = p; return this; }

        public Builder output(Path dir) { this.outputDir = dir; return this; }

        public Builder secrets(Set<String> values) { this.secrets = values; return this; }

        public Builder launcher(ProcessLauncher l) { this.launcher = l; return this; }

        public Builder todos(Todos t) { this.todos = t; return this; }

        public Builder questions(Questions q) { this.questions = q; return this; }

        public Builder subagents(Subagents s) { this.subagents = s; return this; }

        public Builder skills(Skills s) { this.skills = s; return this; }

        public Builder editorFiles(EditorFiles e) { this.editorFiles = e; return this; }

        public Builder budget(Budget b) { this.budget = b; return this; }

        public Builder background(BackgroundCommands commands) { this.background = commands; return this; }

        public Builder team(Teammates t) { this.team = t; return this; }

        public ToolContext build() {
            return new ToolContext(new Call(sessionId, callId, cancellation, progress), new Folders(projectDir, outputDir),
                    new Guards(permissions, launcher, secrets), new Session(todos, questions, subagents, skills, editorFiles, budget, background, team));
        }
    }
}
