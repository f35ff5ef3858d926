package dev.lathe.tools;

import dev.lathe.protocol.session.CallProgress;

/**
 * Live updates of a running call (bash output so far, a better title, how far it has got). Calls may be frequent;
 * the receiver throttles what it persists and publishes.
 */
public interface ToolProgress {
    void update(String title, String outputSoFar);

    /**
     * The call reports how far it has got (an MCP server's {@code notifications/progress}); shown beside the call
     * while it runs. Nothing happens by default (a receiver that shows no progress).
     */
    default void progress(CallProgress progress) {}

    ToolProgress NONE = (title, output) -> {};
}
