package dev.lathe.core.toolcall;

import dev.lathe.tools.ToolContext;
import java.util.Optional;
import java.util.Set;

/**
 * One call for the pipeline: the tool's name and its arguments as the caller wrote them (JSON text), the context it
 * runs in, who made it, and the names the caller may call ({@code offered}: a step offers the model only its agent's
 * tools; empty means any registered tool).
 */
public record ToolCall(String tool, String argsJson, ToolContext ctx, Origin origin, Optional<Set<String>> offered) {
    public ToolCall {
        offered = offered.map(Set::copyOf);
    }

    /** A call that may name any registered tool. */
    public static ToolCall of(String tool, String argsJson, ToolContext ctx, Origin origin) {
        return new ToolCall(tool, argsJson, ctx, origin, Optional.empty());
    }

    public String sessionId() { return ctx.call().sessionId(); }

    public String callId() { return ctx.call().id(); }
}
