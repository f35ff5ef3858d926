package dev.lathe.core.toolcall;

import dev.lathe.protocol.session.Part;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.util.Optional;
import java.util.Set;

/**
 * What one tool call may touch, built for it in one place, its step's {@link Factory} (decision 523): the {@code files}
 * it works in (the project, where full outputs go), its {@code guards} (the permissions it asks, the launcher its
 * processes start through, the secrets kept out of them), the {@code network} policy its URLs pass, and what the
 * {@code session} behind it offers (todos, questions, subagents, skills, editor, budget, background commands, team).
 * They are as the session made them: the {@link ToolCallPipeline} alone wraps the permissions (network policy, ask
 * timing, the caller on each check) and the launcher (the sandbox, for this call) before the tool runs.
 */
public record CallPorts(ToolContext.Folders files, ToolContext.Guards guards, Network network, ToolContext.Session session) {
    /**
     * The policy a call's URLs pass before its permissions are asked: the project's network policy (decision 120), put
     * in front of the call's permissions by the pipeline.
     */
    @FunctionalInterface
    public interface Network {
        /** {@code asks} with this policy in front, for a call of {@code tool}. */
        Permissions inFrontOf(Permissions asks, String tool);

        /** No policy: the permissions decide alone. */
        Network OPEN = (asks, _) -> asks;
    }

    /** Builds the ports of each call of one step: the one place a model's, a subagent's or a user's call gets them. */
    @FunctionalInterface
    public interface Factory {
        CallPorts forCall(Part.Tool call);
    }

    /** The context {@code call} runs in with these ports, unwrapped. */
    public ToolContext context(ToolContext.Call call) {
        return new ToolContext(call, files, guards, session);
    }

    /** A call of {@code origin} through these ports, its tool and arguments as the caller wrote them. */
    public ToolCall call(String tool, String argsJson, ToolContext.Call call, Origin origin, Optional<Set<String>> offered) {
        return new ToolCall(tool, argsJson, context(call), origin, offered, network);
    }
}
