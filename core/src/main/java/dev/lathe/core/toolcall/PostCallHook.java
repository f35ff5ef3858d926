package dev.lathe.core.toolcall;

import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolResult;
import java.util.Map;

/**
 * Seam after a tool ran successfully, before diagnostics and truncation: may add context for the model (nested
 * instruction files, a reminder) and metadata to the stored part — like a PostToolUse hook's additional context. What
 * it adds is appended after the tool's own output once that is truncated, so it is never cut. It sees the tool's own,
 * untruncated result. {@link #PASS} adds nothing.
 */
@FunctionalInterface
public interface PostCallHook {
    Added after(ToolCall call, Tool<?> tool, ToolResult result);

    PostCallHook PASS = (_, _, _) -> Added.NOTHING;

    /**
     * The tool ran and failed with {@code error} ({@code interrupted}: the turn was aborted meanwhile): may add context
     * after the error the model reads (a PostToolUseFailure hook's). Adds nothing unless overridden.
     */
    default Added failed(ToolCall call, Tool<?> tool, String error, boolean interrupted) { return Added.NOTHING; }

    /** Text for the model after the result ({@code ""} for none) and metadata entries for the stored part. */
    record Added(String context, Map<String, String> metadata) {
        public Added {
            metadata = Map.copyOf(metadata);
        }

        public static final Added NOTHING = new Added("", Map.of());

        public static Added context(String text) { return new Added(text, Map.of()); }
    }
}
