package dev.lathe.core.toolcall;

import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolResult;

/**
 * Seam after a tool ran successfully, before diagnostics and truncation: may change the result — typically add
 * context for the model (nested instruction files, a reminder). {@link #PASS} returns it unchanged.
 */
@FunctionalInterface
public interface PostCallHook {
    ToolResult after(ToolCall call, Tool<?> tool, ToolResult result);

    PostCallHook PASS = (_, _, result) -> result;
}
