package dev.lathe.tools;

import dev.lathe.llm.Cancellation;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything a call may use. {@code projectDir} is the absolute, normalised project root: relative paths in
 * arguments resolve against it. {@code outputDir} is where full output of truncated results is saved. {@code secrets}
 * are credential values (provider keys) that must not reach child processes, whatever variable holds them.
 * {@code todos} and {@code questions} reach the session's todo list and the user; {@code subagents} runs the
 * {@code task} tool's child sessions.
 */
public record ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions,
        Cancellation cancellation, ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions,
        Subagents subagents) {
    public ToolContext {
        secrets = Set.copyOf(secrets);
    }

    /** A context whose session starts no subagents. */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets, Todos todos, Questions questions) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, todos, questions, Subagents.UNAVAILABLE);
    }

    /** A context without a session behind it: todos kept in memory, nobody to answer questions. */
    public ToolContext(Path projectDir, String sessionId, String callId, Permissions permissions, Cancellation cancellation,
            ToolProgress progress, Path outputDir, Set<String> secrets) {
        this(projectDir, sessionId, callId, permissions, cancellation, progress, outputDir, secrets, Todos.inMemory(), Questions.UNAVAILABLE,
                Subagents.UNAVAILABLE);
    }
}
