package dev.lathe.core.acpagent;

/**
 * The agent could not do what was asked: it could not be started, did not answer {@code initialize} or
 * {@code session/new}, answered a prompt with an error, or its process ended. The message says which, with the last
 * lines the agent wrote to stderr when there are some.
 */
public final class AgentFailure extends RuntimeException {
    public AgentFailure(String message) { super(message); }

    public AgentFailure(String message, Throwable cause) { super(message, cause); }
}
