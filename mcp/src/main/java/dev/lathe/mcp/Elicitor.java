package dev.lathe.mcp;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * Answers a server's elicitation (the server asks the user for input mid-call): whatever is attached to the session
 * asks the user and returns accept with content, decline or cancel. Called on the thread of the server's request,
 * which may block until the user answers; it must answer {@code cancel} rather than throw when nobody can be asked.
 */
@FunctionalInterface
public interface Elicitor {
    /** Nobody to ask: every request is declined. */
    Elicitor DECLINE = (server, request) -> McpSchema.ElicitResult.builder()
            .message(McpSchema.ElicitResult.Action.DECLINE).build();

    McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request);
}
