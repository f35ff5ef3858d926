package dev.lathe.core.toolcall;

import dev.lathe.tools.ToolResult;

/**
 * How a tool running in the {@link ToolCallPipeline} runs other tools: each as a call of its own through that same
 * pipeline (validation, pre-call hooks, loop guard, permission gate, post-call hooks, truncation, secret masking,
 * audit), made by the same caller in the same session. Code Mode's {@code mcp_execute} (DESIGN §28) is its one user:
 * a script's {@code tools.NAME(args)} is a call the model made, checked as one, never beside the pipeline.
 *
 * <p>Bound by the pipeline while a tool runs ({@link ToolCallPipeline#NESTED}); a nested call's failure is thrown
 * as the pipeline throws it ({@link dev.lathe.tools.ToolFailure}, {@link dev.lathe.tools.PermissionRejected}).
 */
@FunctionalInterface
public interface NestedCalls {
    /** Runs tool {@code tool} with the JSON arguments {@code argsJson}; its parts are not stored (the outer call's is). */
    ToolResult run(String tool, String argsJson);
}
