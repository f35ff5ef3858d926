package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * An agent a session can use; {@code mode} is {@code primary | subagent | all} (clients offer the ones that are not
 * {@code subagent} to pick from). {@code source}: where it was last defined or changed ({@code builtin},
 * {@code config}, or the agent file's path); absent from servers older than custom agents. {@code model}: its own
 * {@code provider/model}, absent when it uses the session's.
 */
public record AgentInfo(String name, String description, String mode, Optional<String> source, Optional<String> model) {
    public AgentInfo(String name, String description, String mode) {
        this(name, description, mode, Optional.empty(), Optional.empty());
    }
}
