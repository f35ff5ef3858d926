package dev.lathe.core.hooks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hook events Lathe fires, with what Claude Code's contract says each does with a handler's exit code 2 and its
 * plain stdout, whether its matcher applies, and the default handler timeout (600 s, 30 s for
 * {@code UserPromptSubmit}).
 */
public enum HookEvent {
    PRE_TOOL_USE("PreToolUse", Matched.YES, ExitTwo.BLOCKS, PlainStdout.LOGGED),
    POST_TOOL_USE("PostToolUse", Matched.YES, ExitTwo.TO_MODEL, PlainStdout.LOGGED),
    POST_TOOL_USE_FAILURE("PostToolUseFailure", Matched.YES, ExitTwo.TO_MODEL, PlainStdout.LOGGED),
    PERMISSION_REQUEST("PermissionRequest", Matched.YES, ExitTwo.IGNORED, PlainStdout.LOGGED),
    PERMISSION_DENIED("PermissionDenied", Matched.YES, ExitTwo.IGNORED, PlainStdout.LOGGED),
    USER_PROMPT_SUBMIT("UserPromptSubmit", Matched.NO, ExitTwo.BLOCKS, PlainStdout.CONTEXT),
    STOP("Stop", Matched.NO, ExitTwo.BLOCKS, PlainStdout.LOGGED),
    SUBAGENT_START("SubagentStart", Matched.YES, ExitTwo.TO_USER, PlainStdout.LOGGED),
    SUBAGENT_STOP("SubagentStop", Matched.YES, ExitTwo.BLOCKS, PlainStdout.LOGGED),
    SESSION_START("SessionStart", Matched.YES, ExitTwo.TO_USER, PlainStdout.CONTEXT),
    SESSION_END("SessionEnd", Matched.YES, ExitTwo.TO_USER, PlainStdout.LOGGED),
    PRE_COMPACT("PreCompact", Matched.YES, ExitTwo.BLOCKS, PlainStdout.LOGGED),
    POST_COMPACT("PostCompact", Matched.YES, ExitTwo.TO_USER, PlainStdout.LOGGED),
    NOTIFICATION("Notification", Matched.YES, ExitTwo.IGNORED, PlainStdout.LOGGED),
    INSTRUCTIONS_LOADED("InstructionsLoaded", Matched.YES, ExitTwo.IGNORED, PlainStdout.LOGGED),
    /** Replaces {@code git worktree add}: its stdout is the folder it made (read from the outcome's context). */
    WORKTREE_CREATE("WorktreeCreate", Matched.NO, ExitTwo.BLOCKS, PlainStdout.CONTEXT),
    /** Told of a removal; it cannot stop it. */
    WORKTREE_REMOVE("WorktreeRemove", Matched.NO, ExitTwo.IGNORED, PlainStdout.LOGGED),
    /** A team member's turn ended and it goes idle (DESIGN §18 "Agent teams"); exit 2 keeps it working, stderr its feedback. */
    TEAMMATE_IDLE("TeammateIdle", Matched.NO, ExitTwo.BLOCKS, PlainStdout.LOGGED),
    /** A task of a team's list is being marked completed; exit 2 keeps it open, stderr saying why. */
    TASK_COMPLETED("TaskCompleted", Matched.NO, ExitTwo.BLOCKS, PlainStdout.LOGGED);

    /** Whether a matcher group's {@code matcher} filters this event (some events ignore it and always match). */
    enum Matched { YES, NO }

    /** What a handler's exit code 2 means for this event. */
    public enum ExitTwo {
        /** Stops the action (the tool call, the prompt, the stop, the compaction); stderr is the reason. */
        BLOCKS,
        /** The action already happened: stderr goes to the model beside it. */
        TO_MODEL,
        /** Stderr is shown to the user; the event goes on. */
        TO_USER,
        /** Exit 2 means nothing more than any other failure here. */
        IGNORED
    }

    /** What a successful handler's stdout that is not JSON becomes. */
    enum PlainStdout { CONTEXT, LOGGED }

    private final String wire;
    private final Matched matched;
    private final ExitTwo exitTwo;
    private final PlainStdout plainStdout;

    HookEvent(String wire, Matched matched, ExitTwo exitTwo, PlainStdout plainStdout) {
        this.wire = wire;
        this.matched = matched;
        this.exitTwo = exitTwo;
        this.plainStdout = plainStdout;
    }

    /** The name in settings files and in {@code hook_event_name}, e.g. {@code PreToolUse}. */
    public String wire() { return wire; }

    public ExitTwo exitTwo() { return exitTwo; }

    boolean usesMatcher() { return matched == Matched.YES; }

    boolean plainStdoutIsContext() { return plainStdout == PlainStdout.CONTEXT; }

    /** The timeout of a handler that names none. */
    public Duration defaultTimeout() {
        return this == USER_PROMPT_SUBMIT ? Duration.ofSeconds(30) : Duration.ofSeconds(600);
    }

    /** The event called {@code wire} in settings files; empty for a name Lathe does not fire. */
    public static Optional<HookEvent> of(String wire) {
        return Arrays.stream(values()).filter(e -> e.wire.equals(wire)).findFirst();
    }
}
