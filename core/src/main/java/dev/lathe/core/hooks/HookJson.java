package dev.lathe.core.hooks;

import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The edge where hook records become JSON and a handler's output becomes a {@link HookOutput}. */
final class HookJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HookJson() {}

    /** The event's JSON as a handler of {@code dialect} reads it (snake_case fields, tool names in its dialect). */
    static String input(HookInput in, HookSource.Dialect dialect, ClaudeToolNames names) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        HookInput.Common c = in.common();
        o.put("session_id", c.sessionId());
        if (c.transcriptPath().isPresent()) o.put("transcript_path", c.transcriptPath().get().toString());
        else o.putNull("transcript_path");
        o.put("cwd", c.cwd().toString());
        o.put("permission_mode", c.permissionMode());
        o.put("hook_event_name", in.event().wire());
        switch (in.data()) {
            case HookInput.PreToolUse t -> {
                tool(o, t, dialect, names, c.cwd());
                o.put("tool_use_id", t.toolUseId());
            }
            case HookInput.PostToolUse t -> {
                tool(o, t, dialect, names, c.cwd());
                o.set("tool_response", response(t, dialect, names, c.cwd()));
                o.put("tool_use_id", t.toolUseId());
            }
            case HookInput.PostToolUseFailure t -> {
                tool(o, t, dialect, names, c.cwd());
                o.put("tool_use_id", t.toolUseId());
                o.put("error", t.error());
                o.put("is_interrupt", t.interrupt() == HookInput.Interrupt.INTERRUPTED);
            }
            case HookInput.PermissionRequest t -> tool(o, t, dialect, names, c.cwd());
            case HookInput.PermissionDenied t -> {
                tool(o, t, dialect, names, c.cwd());
                o.put("tool_use_id", t.toolUseId());
                o.put("reason", t.reason());
            }
            case HookInput.UserPromptSubmit u -> o.put("prompt", u.prompt());
            case HookInput.Stop s -> {
                o.put("stop_hook_active", s.stopHook() == HookInput.StopHook.ACTIVE);
                o.put("last_assistant_message", s.lastAssistantMessage());
            }
            case HookInput.SubagentStart s -> {
                o.put("agent_id", s.agentId());
                o.put("agent_type", s.agentType());
            }
            case HookInput.SubagentStop s -> {
                o.put("stop_hook_active", s.stopHook() == HookInput.StopHook.ACTIVE);
                o.put("agent_id", s.agentId());
                o.put("agent_type", s.agentType());
                if (s.agentTranscriptPath().isPresent()) o.put("agent_transcript_path", s.agentTranscriptPath().get().toString());
                else o.putNull("agent_transcript_path");
                o.put("last_assistant_message", s.lastAssistantMessage());
            }
            case HookInput.SessionStart s -> {
                o.put("source", s.source());
                s.model().ifPresent(m -> o.put("model", m));
            }
            case HookInput.SessionEnd s -> o.put("reason", s.reason());
            case HookInput.PreCompact p -> {
                o.put("trigger", p.trigger());
                if (p.customInstructions().isPresent()) o.put("custom_instructions", p.customInstructions().get());
                else o.putNull("custom_instructions");
            }
            case HookInput.PostCompact p -> {
                o.put("trigger", p.trigger());
                o.put("compact_summary", p.compactSummary());
            }
            case HookInput.Notification n -> {
                o.put("message", n.message());
                n.title().ifPresent(t -> o.put("title", t));
                o.put("notification_type", n.notificationType());
            }
            case HookInput.InstructionsLoaded i -> {
                o.put("file_path", i.filePath().toString());
                o.put("memory_type", i.memoryType());
                o.put("load_reason", i.loadReason());
            }
            case HookInput.WorktreeCreate w -> o.put("name", w.name());
            case HookInput.WorktreeRemove w -> o.put("worktree_path", w.worktreePath().toString());
            case HookInput.TeammateIdle t -> {
                o.put("teammate_name", t.teammateName());
                o.put("team_name", t.teamName());
            }
            case HookInput.TaskCompleted t -> {
                o.put("task_id", t.taskId());
                o.put("task_subject", t.taskSubject());
                o.put("task_description", t.taskDescription());
                o.put("teammate_name", t.teammateName());
                o.put("team_name", t.teamName());
            }
        }
        return JSON.writeValueAsString(o);
    }

    private static void tool(ObjectNode o, HookInput.ToolData t, HookSource.Dialect dialect, ClaudeToolNames names, Path cwd) {
        ObjectNode args = args(t.argsJson());
        switch (dialect) {
            case LATHE -> {
                o.put("tool_name", t.tool());
                o.set("tool_input", args);
            }
            case CLAUDE_CODE -> {
                o.put("tool_name", names.claudeName(t.tool()));
                o.set("tool_input", names.claudeInput(t.tool(), args, cwd));
            }
        }
    }

    /** Claude Code's file tools answer {@code {filePath, success}} and Bash {@code {stdout, stderr, interrupted}}; Lathe's hooks read the text. */
    private static JsonNode response(HookInput.PostToolUse t, HookSource.Dialect dialect, ClaudeToolNames names, Path cwd) {
        var f = JsonNodeFactory.instance;
        if (dialect == HookSource.Dialect.LATHE) return f.stringNode(t.output());
        return switch (t.tool()) {
            case "bash" -> f.objectNode().put("stdout", t.output()).put("stderr", "").put("interrupted", false);
            case "write", "edit" -> {
                JsonNode path = names.claudeInput(t.tool(), args(t.argsJson()), cwd).path("file_path");
                yield f.objectNode().put("filePath", path.asString("")).put("success", true);
            }
            default -> f.stringNode(t.output());
        };
    }

    /** The call's arguments as an object (an empty one when the model's text is not a JSON object). */
    static ObjectNode args(String argsJson) {
        try {
            return JSON.readTree(argsJson) instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    static String write(JsonNode node) { return JSON.writeValueAsString(node); }

    /** Whether {@code stdout} is meant as JSON: it starts with '{' and ends with '}' once trimmed (Claude Code's test). */
    static boolean looksLikeJson(String stdout) {
        String s = stdout.strip();
        return s.startsWith("{") && s.endsWith("}");
    }

    /**
     * The output in {@code stdout} for {@code event}.
     *
     * @throws IllegalArgumentException when it is not a JSON object or a field has the wrong type (the message says which)
     */
    static HookOutput output(String stdout, HookEvent event) {
        JsonNode root;
        try {
            root = JSON.readTree(stdout.strip());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON output: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode o)) throw new IllegalArgumentException("the JSON output must be an object");
        JsonNode specific = o.path("hookSpecificOutput");
        if (!specific.isMissingNode() && !specific.isObject()) throw new IllegalArgumentException("hookSpecificOutput must be an object");
        Optional<String> decision = text(o, "decision");
        Optional<String> permission = text(specific, "permissionDecision");
        Optional<String> permissionReason = text(specific, "permissionDecisionReason");
        Optional<String> updatedInput = json(specific, "updatedInput");
        if (event == HookEvent.PRE_TOOL_USE && permission.isEmpty() && decision.isPresent()) {
            // the deprecated top-level form: "approve" and "block" stand for allow and deny
            permission = decision.map(d -> d.equals("approve") ? "allow" : d.equals("block") ? "deny" : d);
            permissionReason = permissionReason.or(() -> text(o, "reason"));
            decision = Optional.empty();
        }
        if (event == HookEvent.PERMISSION_REQUEST && specific.path("decision").isObject()) {
            JsonNode d = specific.path("decision");
            permission = text(d, "behavior");
            permissionReason = text(d, "message");
            updatedInput = json(d, "updatedInput");
        }
        permission.ifPresent(p -> {
            if (!java.util.Set.of("allow", "deny", "ask", "defer").contains(p)) {
                throw new IllegalArgumentException("permissionDecision must be allow, deny, ask or defer, not '" + p + "'");
            }
        });
        if (updatedInput.isPresent() && !specific.path("updatedInput").isObject() && !specific.path("decision").path("updatedInput").isObject()) {
            throw new IllegalArgumentException("updatedInput must be an object");
        }
        return new HookOutput(o.path("continue").asBoolean(true) ? HookOutput.Continuation.GO_ON : HookOutput.Continuation.STOP,
                text(o, "stopReason"), text(o, "systemMessage"), decision, text(o, "reason"), permission, permissionReason, updatedInput,
                text(specific, "additionalContext"), json(specific, "updatedToolOutput"),
                specific.path("retry").asBoolean(false) ? HookOutput.Retry.RETRY : HookOutput.Retry.NO);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }

    private static Optional<String> json(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) return Optional.empty();
        return Optional.of(v.isString() ? v.asString() : JSON.writeValueAsString(v));
    }
}
