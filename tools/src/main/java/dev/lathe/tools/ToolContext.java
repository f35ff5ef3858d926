package dev.lathe.tools;

import dev.lathe.llm.Cancellation;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything a call may use. {@code projectDir} is the absolute, normalised project root: relative paths in
 * arguments resolve against it. {@code outputDir} is where full output of truncated results is saved. {@code secrets}
 * are credential values (provider keys) that must not reach child processes, whatever variable holds them.
 * {@code todos} and {@code questions} reach the session's todo list and the user; {@code subagents} runs the
 * {@code task} tool's child sessions; {@code skills} are the project's skills; {@code launcher} starts every process a
 * tool runs (where a sandbox wraps them); {@code editorFiles} reaches the files of an editor attached to the session
 * ({@link EditorFiles#NONE} without one: the file tools use the disk); {@code budget} is the session's context fill and
 * spend ({@link Budget#NONE} outside a turn).
 */
public record ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions,
        Cancellation cancellation, ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions,
        Subagents subagents, Skills skills, ProcessLauncher launcher, EditorFiles editorFiles, Budget budget) {
    public ToolContext {
        secrets = Set.copyOf(secrets);
    }

    /** A context without a budget ({@link Budget#NONE}). */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions, Subagents subagents, Skills skills,
            ProcessLauncher launcher, EditorFiles editorFiles) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions, subagents, skills,
                launcher, editorFiles, Budget.NONE);
    }

    /** A context without an editor's files ({@link EditorFiles#NONE}). */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions, Subagents subagents, Skills skills,
            ProcessLauncher launcher) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions, subagents, skills,
                launcher, EditorFiles.NONE);
    }

    /** A context whose processes start directly ({@link ProcessLauncher#DIRECT}). */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions, Subagents subagents, Skills skills) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions, subagents, skills,
                ProcessLauncher.DIRECT);
    }

    /** This context with {@code newLauncher} starting its processes. */
    public ToolContext withLauncher(ProcessLauncher newLauncher) {
        return new ToolContext(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions,
                subagents, skills, newLauncher, editorFiles, budget);
    }

    /** This context reading and writing files through {@code editor} where it offers them. */
    public ToolContext withEditorFiles(EditorFiles editor) {
        return new ToolContext(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions,
                subagents, skills, launcher, editor, budget);
    }

    /** This context asking {@code newPermissions}. */
    public ToolContext withPermissions(Permissions newPermissions) {
        return new ToolContext(projectDir, sessionId, callId, newPermissions, cancellation, progress, outputDir, secrets, todos, questions,
                subagents, skills, launcher, editorFiles, budget);
    }

    /** This context reading the session's budget from {@code sessionBudget}. */
    public ToolContext withBudget(Budget sessionBudget) {
        return new ToolContext(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions,
                subagents, skills, launcher, editorFiles, sessionBudget);
    }

    /** A context whose session starts no subagents and has no skills. */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions, Subagents.UNAVAILABLE,
                Skills.NONE);
    }

    /** A context without a session behind it: todos kept in memory, nobody to answer questions. */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, Todos.inMemory(), Questions.UNAVAILABLE);
    }
}
