package dev.lathe.core.hooks;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a hook is told: the fields every event has ({@link Common}) and the event's own ({@link Data}), as records; the
 * JSON on a handler's stdin (or in an HTTP hook's body) is made of them at the edge ({@link HookJson}). Tool names
 * and arguments are Lathe's here ({@code argsJson} as the model wrote them); a Claude Code hook is shown them in Claude
 * Code's names.
 */
public record HookInput(Common common, Data data) {
    public HookEvent event() { return data.event(); }

    /**
     * {@code session_id}, {@code transcript_path} (the session's JSONL transcript where one is written),
     * {@code cwd}, {@code permission_mode} ({@code default}, {@code plan}, {@code acceptEdits}, {@code dontAsk},
     * {@code bypassPermissions}).
     */
    public record Common(String sessionId, Optional<Path> transcriptPath, Path cwd, String permissionMode) {}

    /** One event's own fields. */
    public sealed interface Data {
        HookEvent event();
    }

    /** A Lathe tool call: its tool name and arguments. */
    public sealed interface ToolData extends Data {
        String tool();

        String argsJson();
    }

    public record PreToolUse(String tool, String argsJson, String toolUseId) implements ToolData {
        @Override public HookEvent event() { return HookEvent.PRE_TOOL_USE; }
    }

    /** {@code output}: the text the tool returned (before truncation). */
    public record PostToolUse(String tool, String argsJson, String output, String toolUseId) implements ToolData {
        @Override public HookEvent event() { return HookEvent.POST_TOOL_USE; }
    }

    public record PostToolUseFailure(String tool, String argsJson, String toolUseId, String error, Interrupt interrupt) implements ToolData {
        @Override public HookEvent event() { return HookEvent.POST_TOOL_USE_FAILURE; }
    }

    /** Whether a failure was the user stopping the call ({@code is_interrupt}). */
    public enum Interrupt { INTERRUPTED, FAILED }

    public record PermissionRequest(String tool, String argsJson) implements ToolData {
        @Override public HookEvent event() { return HookEvent.PERMISSION_REQUEST; }
    }

    public record PermissionDenied(String tool, String argsJson, String toolUseId, String reason) implements ToolData {
        @Override public HookEvent event() { return HookEvent.PERMISSION_DENIED; }
    }

    public record UserPromptSubmit(String prompt) implements Data {
        @Override public HookEvent event() { return HookEvent.USER_PROMPT_SUBMIT; }
    }

    /** {@code stopHookActive}: the agent is already continuing because a Stop hook blocked its stop. */
    public record Stop(StopHook stopHook, String lastAssistantMessage) implements Data {
        @Override public HookEvent event() { return HookEvent.STOP; }
    }

    /** {@code stop_hook_active}. */
    public enum StopHook { ACTIVE, INACTIVE }

    public record SubagentStart(String agentId, String agentType) implements Data {
        @Override public HookEvent event() { return HookEvent.SUBAGENT_START; }
    }

    public record SubagentStop(String agentId, String agentType, StopHook stopHook, Optional<Path> agentTranscriptPath,
            String lastAssistantMessage) implements Data {
        @Override public HookEvent event() { return HookEvent.SUBAGENT_STOP; }
    }

    /** {@code source}: {@code startup}, {@code resume}, {@code clear} or {@code compact}. */
    public record SessionStart(String source, Optional<String> model) implements Data {
        @Override public HookEvent event() { return HookEvent.SESSION_START; }
    }

    /** {@code reason}: {@code clear}, {@code resume}, {@code logout}, {@code prompt_input_exit} or {@code other}. */
    public record SessionEnd(String reason) implements Data {
        @Override public HookEvent event() { return HookEvent.SESSION_END; }
    }

    /** {@code trigger}: {@code manual} or {@code auto}. */
    public record PreCompact(String trigger, Optional<String> customInstructions) implements Data {
        @Override public HookEvent event() { return HookEvent.PRE_COMPACT; }
    }

    public record PostCompact(String trigger, String compactSummary) implements Data {
        @Override public HookEvent event() { return HookEvent.POST_COMPACT; }
    }

    public record Notification(String message, Optional<String> title, String notificationType) implements Data {
        @Override public HookEvent event() { return HookEvent.NOTIFICATION; }
    }

    /** {@code loadReason}: {@code session_start}, {@code nested_traversal}, {@code path_glob_match}, {@code include}, {@code compact}. */
    public record InstructionsLoaded(Path filePath, String memoryType, String loadReason) implements Data {
        @Override public HookEvent event() { return HookEvent.INSTRUCTIONS_LOADED; }
    }

    /** {@code name}: the new worktree's name (given or generated), which the hook may use for its folder. */
    public record WorktreeCreate(String name) implements Data {
        @Override public HookEvent event() { return HookEvent.WORKTREE_CREATE; }
    }

    /** {@code worktreePath}: the absolute path of the worktree being removed. */
    public record WorktreeRemove(Path worktreePath) implements Data {
        @Override public HookEvent event() { return HookEvent.WORKTREE_REMOVE; }
    }

    /** Claude Code's {@code TeammateIdle}: {@code teammate_name}, {@code team_name}. */
    public record TeammateIdle(String teammateName, String teamName) implements Data {
        @Override public HookEvent event() { return HookEvent.TEAMMATE_IDLE; }
    }

    /**
     * Claude Code's {@code TaskCompleted}: {@code task_id}, {@code task_subject}, {@code task_description} (Lathe's
     * tasks have a title only: the same text), {@code teammate_name} (who marks it; {@code lead} for the lead),
     * {@code team_name}.
     */
    public record TaskCompleted(String taskId, String taskSubject, String taskDescription, String teammateName, String teamName) implements Data {
        @Override public HookEvent event() { return HookEvent.TASK_COMPLETED; }
    }

    /** What a matcher of this event is compared with, in {@code dialect}'s names (a tool event's tool name). */
    String matcherSubject(HookSource.Dialect dialect, ClaudeToolNames names) {
        return switch (data) {
            case ToolData t -> dialect == HookSource.Dialect.LATHE ? t.tool() : names.claudeName(t.tool());
            case UserPromptSubmit _, Stop _, WorktreeCreate _, WorktreeRemove _, TeammateIdle _, TaskCompleted _ -> "";
            case SubagentStart s -> s.agentType();
            case SubagentStop s -> s.agentType();
            case SessionStart s -> s.source();
            case SessionEnd s -> s.reason();
            case PreCompact p -> p.trigger();
            case PostCompact p -> p.trigger();
            case Notification n -> n.notificationType();
            case InstructionsLoaded i -> i.loadReason();
        };
    }
}
