package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import java.util.Optional;

/**
 * What a slash command did: a command that prompts the model answers like a prompt ({@code messageId} of the stored
 * user message, the turn runs on); one that changes files at once ({@code /undo}, {@code /redo}) carries its
 * {@code revert} result.
 */
public record CommandResult(String name, Optional<MessageId> messageId, Optional<RevertResult> revert) {}
