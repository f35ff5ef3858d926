package dev.lathe.tools.plugin;

import java.time.Duration;

/**
 * A hook a Java plugin registers: Claude Code's hook contract (DESIGN §14) with a Java method in place of a process. The
 * hook fires on {@link #event} for the tools its {@link #matcher} names, exactly as a {@code command} hook written in
 * {@code lathe.json} does: it runs in parallel with the other matching hooks, it reads the same JSON a command reads on
 * its stdin (Lathe's tool and argument names, {@code session_id}, {@code cwd}, {@code hook_event_name}, the event's own
 * fields), and what it returns is read as a command's stdout on exit 0: a JSON object ({@code decision},
 * {@code hookSpecificOutput} with {@code permissionDecision}, {@code updatedInput}, {@code additionalContext},
 * {@code continue}, ...) or plain text. Throwing {@link Block} is a command's exit 2 (the reason is its stderr); any
 * other exception, or running past {@link #timeout}, is a failing hook: reported, and the event goes on without it.
 *
 * {@snippet :
 * new PluginHook() {
 *     @Override public String event() { return "PreToolUse"; }
 *     @Override public String matcher() { return "bash"; }
 *     @Override public String run(String input) throws Block {
 *         if (input.contains("git push")) throw new Block("no pushes from the agent");
 *         return "";
 *     }
 * }
 * }
 */
public interface PluginHook {
    /** The event, as Claude Code names it: {@code PreToolUse}, {@code PostToolUse}, {@code Stop}, ... */
    String event();

    /** The matcher, as in a settings file: empty or {@code *} for all, names with {@code |}, else a regular expression. */
    default String matcher() { return ""; }

    /** How long the hook may run before it counts as failed; 60 s by default, as a command hook's. */
    default Duration timeout() { return Duration.ofSeconds(60); }

    /**
     * Runs the hook.
     *
     * @param inputJson the event's JSON, as a command hook reads it
     * @return what a command would print on exit 0: a JSON object, plain text, or {@code ""} for nothing
     * @throws Block to block the event, as exit code 2 does
     */
    String run(String inputJson) throws Exception;

    /** Blocks the event, as a command's exit code 2: the message is the reason the model (or user) reads. */
    final class Block extends Exception {
        public Block(String reason) {
            super(reason);
        }
    }
}
