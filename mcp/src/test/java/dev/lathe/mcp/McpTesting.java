package dev.lathe.mcp;

import java.time.Duration;
import java.util.function.Predicate;

/** Waiting for a server's status in tests, with a deadline and the statuses in the failure message. */
final class McpTesting {
    private McpTesting() {}

    static McpServerStatus await(McpConnections mcp, String name, Predicate<McpServerStatus> done, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            McpServerStatus s = mcp.statuses().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            if (done.test(s)) return s;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected state: " + mcp.statuses());
    }
}
