package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;

/** {@code POST /sessions/{id}/revert}: restore the files to before {@code messageId} and hide it and what followed. */
public record RevertRequest(MessageId messageId) {}
