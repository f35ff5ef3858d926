package dev.lathe.core.toolcall;

import dev.lathe.tools.ToolContext;
import java.util.Optional;
import java.util.Set;

/**
 * One call for the pipeline: the tool's name and its arguments as the caller wrote them (JSON text), the context it
 * runs in, who made it, and the names the caller may call ({@code offered}: a step offers the model only its agent's
 * tools; empty means any registered tool), and the project's {@code network} policy the call's URLs pass before its
 * permissions are asked ({@link CallPorts.Network#OPEN} where none applies). The context is as its owner built it
 * ({@link CallPorts}): the pipeline alone wraps its permissions and launcher for the call.
 */
public record ToolCall(String tool, String argsJson, ToolContext ctx, Origin origin, Optional<Set<String>> offered, CallPorts.Network network) {
    public ToolCall {
        offered = offered.map(Set::copyOf);
    }

    /** A call no network policy applies to. */
    public ToolCall(String tool, String argsJson, ToolContext ctx, Origin origin, Optional<Set<String>> offered) {
        this(tool, argsJson, ctx, origin, offered, CallPorts.Network.OPEN);
    }

    /** This call with {@code newArgsJson} running in {@code newCtx}. */
    ToolCall with(String newArgsJson, ToolContext newCtx) {
        return new ToolCall(tool, newArgsJson, newCtx, origin, offered, network);
    }

    /** A call that may name any registered tool. */
    public static ToolCall of(String tool, String argsJson, ToolContext ctx, Origin origin) {
        return new ToolCall(tool, argsJson, ctx, origin, Optional.empty());
    }

    public String sessionId() { return ctx.call().sessionId(); }

    public String callId() { return ctx.call().id(); }
}
