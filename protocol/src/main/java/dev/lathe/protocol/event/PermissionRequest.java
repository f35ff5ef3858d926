package dev.lathe.protocol.event;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Map;

/**
 * A pending "may I?" from a tool. {@code permission} is the rule key ({@code bash}, {@code edit}, ...),
 * {@code patterns} what was matched (commands or paths), {@code always} the rules an "always" answer would add.
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
        long createdAt) {}
