package dev.lathe.protocol.event;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.ToolDisplay;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pending "may I?" from a tool. {@code permission} is the rule key ({@code bash}, {@code edit}, ...),
 * {@code patterns} what was matched (commands or paths), {@code always} the rules an "always" answer would add,
 * {@code display} what a client shows beside the question (an edit's diff), when the tool gave it;
 * {@code alwaysScope} how far the "always" rules reach (project when absent, as before it existed); {@code child}
 * which subagent asks, when the asking session is a child (absent for a top-level session).
 */
public record PermissionRequest(
        PermissionId id,
        SessionId sessionId,
        MessageId messageId,
        String callId,
        String permission,
        List<String> patterns,
        List<String> always,
        String title,
        Map<String, String> metadata,
        long createdAt,
        Optional<ToolDisplay> display,
        ApprovalScope alwaysScope,
        Optional<AskingChild> child) {
    public PermissionRequest {
        display = display == null ? Optional.empty() : display;
        alwaysScope = alwaysScope == null ? ApprovalScope.PROJECT : alwaysScope;
        child = child == null ? Optional.empty() : child;
    }

    /** A request whose session is not a child's (or whose child is not named). */
    public PermissionRequest(PermissionId id, SessionId sessionId, MessageId messageId, String callId, String permission,
            List<String> patterns, List<String> always, String title, Map<String, String> metadata, long createdAt,
            Optional<ToolDisplay> display, ApprovalScope alwaysScope) {
        this(id, sessionId, messageId, callId, permission, patterns, always, title, metadata, createdAt, display, alwaysScope, Optional.empty());
    }

    public PermissionRequest(PermissionId id, SessionId sessionId, MessageId messageId, String callId, String permission,
            List<String> patterns, List<String> always, String title, Map<String, String> metadata, long createdAt,
            Optional<ToolDisplay> display) {
        this(id, sessionId, messageId, callId, permission, patterns, always, title, metadata, createdAt, display, ApprovalScope.PROJECT);
    }

    public PermissionRequest(PermissionId id, SessionId sessionId, MessageId messageId, String callId, String permission,
            List<String> patterns, List<String> always, String title, Map<String, String> metadata, long createdAt) {
        this(id, sessionId, messageId, callId, permission, patterns, always, title, metadata, createdAt, Optional.empty());
    }
}
