package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;

/**
 * An editor attached to a session ({@link EditorAttachRequest}): {@code attachmentId} is carried by every
 * {@code editor.requested} event for it, so a client answers only its own; a later attach replaces it. It ends with
 * {@code DELETE /sessions/{id}/editor}, when no event stream that would carry its requests is open any more, or when
 * it leaves one request unanswered past the timeout ({@link dev.lathe.protocol.event.EditorRequest}).
 */
public record EditorAttachment(SessionId sessionId, String attachmentId, boolean read, boolean write) {}
