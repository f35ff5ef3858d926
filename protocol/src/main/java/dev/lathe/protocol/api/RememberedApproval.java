package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.ApprovalScope;
import java.util.Optional;

/**
 * One remembered "always" answer of a folder, as {@code GET /approvals} lists it: the allow rule ({@code permission}
 * and {@code pattern}, e.g. {@code bash} / {@code git status *}), how far it reaches ({@code scope}; a session's answer
 * names its {@code sessionId}) and when it was given. {@code id} is what {@code DELETE /approvals/{id}} and
 * {@code lathe permissions --revoke} take; it stays the same for the same answer.
 */
public record RememberedApproval(String id, String permission, String pattern, ApprovalScope scope, Optional<SessionId> sessionId,
        long createdAt) {
    public RememberedApproval {
        sessionId = sessionId == null ? Optional.empty() : sessionId;
    }
}
