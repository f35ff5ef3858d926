package dev.lathe.tools;

/**
 * Live updates of a running call (bash output so far, a better title). Calls may be frequent; the receiver
 * throttles what it persists and publishes.
 */
public interface ToolProgress {
    void update(String title, String outputSoFar);

    ToolProgress NONE = (title, output) -> {};
}
